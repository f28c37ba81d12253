"""Facts about what a terminal screen shows, for tests at each device size of docs/devices.md.

A widget is *fully visible* when its whole region lies inside the screen and inside the
clip of every container around it (nothing scrolled away or cut off by an edge). A label is
*not truncated* when the widget's rendered cells hold the whole text, in order, with no
ellipsis added and no Latin word broken across two lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.errors import NoWidget
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-/:]*")
DEVICE_SIZES: dict[str, tuple[tuple[int, int], ...]] = {
    # docs/devices.md, "Terminals"
    "display": ((80, 24), (100, 30), (120, 36)),
    "console": ((100, 30), (120, 40), (160, 50)),
    # systemd/foot-kiosk.ini (18 pt) in cage on 1920x1080 landscape and 1080x1920 portrait,
    # measured by scripts/kiosk_cell_grid.py; then the smallest terminals a kiosk must
    # still work on.
    "kiosk": ((137, 37), (77, 66), (100, 40), (80, 24)),
}


def rendered_lines(widget: Widget) -> list[str]:
    """The text of every row the widget paints (border and padding included)."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return [strip.text for strip in strips]


def label_text(widget: Widget) -> str | None:
    if isinstance(widget, Button):
        return str(widget.label)
    if isinstance(widget, Input):
        return widget.value or widget.placeholder or None
    if isinstance(widget, Static):
        return str(widget.render())
    return None


def fully_visible(widget: Widget) -> bool:
    screen = widget.screen
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        return False
    region = geometry.region
    if region.area == 0:
        return False
    inside = Region(0, 0, *screen.size)
    return inside.contains_region(region) and geometry.clip.contains_region(region)


def truncation(widget: Widget) -> str | None:
    """Why the widget's label does not show in full, or None when it does."""
    text = label_text(widget)
    if not text or not text.strip():
        return None
    lines = rendered_lines(widget)
    painted = "".join("".join(line.split()) for line in lines)
    wanted = "".join(text.split())
    if wanted not in painted:
        return f"{text!r} is cut: painted {lines!r}"
    if "…" in painted and "…" not in wanted:
        return f"{text!r} ends in an ellipsis: painted {lines!r}"
    for word in LATIN_WORD.findall(text):
        if not any(word in line for line in lines):
            return f"the word {word!r} of {text!r} is broken: painted {lines!r}"
    return None


def interactive(screen: Screen[object]) -> Iterable[Widget]:
    for widget in screen.query("Button, Input"):
        if widget.display and all(a.display for a in widget.ancestors_with_self if a is not screen):
            yield widget


def labels(screen: Screen[object]) -> Iterable[Widget]:
    """Every displayed text of the screen (Static and its kinds)."""
    for widget in screen.query(Static):
        if widget.display and all(a.display for a in widget.ancestors_with_self if a is not screen):
            yield widget


def cut_labels(screen: Screen[object]) -> list[str]:
    """Texts that are truncated or broken mid-word where they are drawn."""
    found: list[str] = []
    for widget in labels(screen):
        if widget.size.area == 0:
            found.append(f"{widget!r} has no room")
            continue
        cut = truncation(widget)
        if cut is not None:
            found.append(f"{widget!r}: {cut}")
    return found


def problems(screen: Screen[object], widgets: Iterable[Widget] | None = None) -> list[str]:
    """Every interactive (or given) widget that is not fully visible or whose label is cut."""
    found: list[str] = []
    for widget in widgets if widgets is not None else interactive(screen):
        if not fully_visible(widget):
            found.append(f"{widget!r} is not fully on screen ({widget.region})")
            continue
        cut = truncation(widget)
        if cut is not None:
            found.append(f"{widget!r}: {cut}")
    return found
