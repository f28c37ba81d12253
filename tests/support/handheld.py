"""Geometry of a page on a phone or tablet (docs/devices.md): nothing wider than the screen,
nothing clipped, every text at least 16 px and at least 4.5:1 against its background. Pages on
hand-held screens scroll down, so only the width is bounded."""

from __future__ import annotations

from tests.support.browser import Page
from tests.support.screens import HANDHELD_MIN_PX, Screen, contrast, texts


def handheld_problems(page: Page, screen: Screen) -> list[str]:
    found: list[str] = []
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > screen.width:
        found.append(f"the page is {wide}px wide on a {screen.width}px screen")
    for text in texts(page):
        where = f"{screen.label}: {text.path} {text.text!r}"
        if text.box[0] < -0.5 or text.box[2] > screen.width + 0.5:
            found.append(f"{where} is outside the screen: {text.box}")
        if text.clipped:
            found.append(f"{where} is clipped")
        if text.font < HANDHELD_MIN_PX - 0.05:
            found.append(f"{where} is {text.font:.1f}px, below {HANDHELD_MIN_PX}px")
        ratio = contrast(text.fg, text.bg)
        if ratio < 4.5:
            found.append(f"{where} has contrast {ratio:.2f}:1")
    return found
