"""The hall's real screens (docs/devices.md) and the geometry a page must hold on them.

The minimum sizes follow docs/devices.md: a glyph (the height of a digit or capital, 0.72 of
the font size in Noto Sans CJK) must span 16 minutes of arc at its reading distance, i.e.
4.65 mm per metre. A board is a 55-inch set (short side 685 mm) whatever its resolution, so a
minimum is a share of the viewport's short side.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from tests.support.browser import Page

MM_PER_METRE = 1000 * math.tan(math.radians(16 / 60))  # 4.65 mm of glyph per metre
GLYPH_PER_EM = 0.72
BOARD_SHORT_SIDE_MM = 685.0  # a 55-inch 16:9 set


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    mobile: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} {self.width}x{self.height}"


BOARD_SCREENS = [
    Screen("1080p TV", 1920, 1080),
    Screen("4K TV", 3840, 2160),
    Screen("768p TV", 1366, 768),
    Screen("720p TV", 1280, 720),
    Screen("portrait TV", 1080, 1920),
]
TABLET_SCREENS = [Screen("floor tablet", 1280, 800), Screen("small tablet", 1024, 768)]
PHONE_SCREENS = [Screen("phone", 390, 844, True), Screen("small phone", 360, 640, True)]

# Reading distances on the hall board, metres (docs/devices.md).
BOARD_DISTANCES = {"called": 10.0, "far": 8.0, "count": 6.0, "label": 3.0}
# Which text on the board is read from which distance; all other text is a label.
BOARD_ROLES = {
    "called": ["#windows .ticket"],
    "far": ["#windows .window-number b", "#calls .ticket", "#calls .to b"],
    "count": ["#queues .waiting"],
}
# Phones and tablets are read at arm's length: 16 px (WCAG's body text, about 0.4 m).
HANDHELD_MIN_PX = 16.0


def board_min_font_px(screen: Screen, role: str) -> float:
    mm_per_px = BOARD_SHORT_SIDE_MM / min(screen.width, screen.height)
    glyph_mm = BOARD_DISTANCES[role] * MM_PER_METRE
    return glyph_mm / mm_per_px / GLYPH_PER_EM


def set_screen(page: Page, screen: Screen) -> None:
    page.send(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": screen.width,
            "height": screen.height,
            "deviceScaleFactor": 1,
            "mobile": screen.mobile,
        },
    )
    # Two frames, so resize handlers have run and the layout is settled.
    page.evaluate(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
    )


# Every visible element that has text of its own: its box, font size, colours and the
# background it is drawn on (the first opaque background up its ancestors, with alpha
# blended), and whether its own box clips what it holds.
_TEXTS_JS = r"""
((roles) => {
  for (const [role, selectors] of Object.entries(roles)) {
    for (const selector of selectors) {
      document.querySelectorAll(selector).forEach((e) => (e.dataset.role = role));
    }
  }
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const backgroundOf = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const visible = (node) => {
    if (!node.getClientRects().length) return false;
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === "none" || s.visibility === "hidden") return false;
      if (Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const out = [];
  for (const node of document.body.querySelectorAll("*")) {
    const own = [...node.childNodes]
      .filter((c) => c.nodeType === 3)
      .map((c) => c.textContent.trim())
      .join(" ")
      .trim();
    if (!own || !visible(node)) continue;
    const s = getComputedStyle(node);
    const r = node.getBoundingClientRect();
    const fg = parse(s.color);
    const bg = backgroundOf(node);
    out.push({
      text: own.slice(0, 40),
      path: pathOf(node),
      box: [r.left, r.top, r.right, r.bottom],
      font: parseFloat(s.fontSize),
      fg: over(fg, bg),
      bg,
      clipped: node.scrollWidth > node.clientWidth + 1 && s.overflow !== "visible",
      role: node.closest("[data-role]")?.dataset.role ?? "label",
    });
  }
  function pathOf(node) {
    const parts = [];
    for (let n = node; n && n !== document.body; n = n.parentElement) {
      parts.unshift(n.id ? `#${n.id}` : n.tagName.toLowerCase() + (n.className ? "." +
        String(n.className).trim().split(/\s+/).join(".") : ""));
      if (n.id) break;
    }
    return parts.join(" > ");
  }
  return out;
})
"""


@dataclass(frozen=True)
class Text:
    text: str
    path: str
    box: tuple[float, float, float, float]
    font: float
    fg: tuple[float, ...]
    bg: tuple[float, ...]
    clipped: bool
    role: str


def texts(page: Page, roles: dict[str, list[str]] | None = None) -> list[Text]:
    """Every visible text; `roles` names the selectors of each role (others are "label")."""
    raw: list[dict[str, Any]] = page.evaluate(f"{_TEXTS_JS}({json.dumps(roles or {})})")
    return [
        Text(
            t["text"],
            t["path"],
            (t["box"][0], t["box"][1], t["box"][2], t["box"][3]),
            t["font"],
            tuple(t["fg"]),
            tuple(t["bg"]),
            t["clipped"],
            t["role"],
        )
        for t in raw
    ]


def intersect(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.5) -> bool:
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > tolerance
        and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
    )


def inside(inner: tuple[float, ...], outer: tuple[float, ...], tolerance: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
