"""Finding a font that can draw Chinese, through fontconfig.

Chinese is printed as a bitmap we draw ourselves, so the printer's own code pages never
matter; what matters is having a CJK font on the machine (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

FONT_ENV = "HALLQ_CJK_FONT"
FC_TIMEOUT_S = 5.0
_PROBE = "中文号窗"


class FontNotFound(RuntimeError):
    """No font on this machine can draw Chinese."""


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int = 0

    def spec(self) -> str:
        return f"{self.path}:{self.index}"


@dataclass(frozen=True)
class FontSet:
    regular: FontFace
    bold: FontFace

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        face = self.bold if bold else self.regular
        return _load(face.path, face.index, size)


# FreeType faces are not safe to use from two threads at once; the print worker and a
# preview may render at the same time, so all drawing goes through this lock.
RENDER_LOCK = threading.RLock()


@functools.lru_cache(maxsize=64)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: identical output whether or not libraqm is installed (golden bytes).
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


def _fc_match(pattern: str) -> FontFace | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}|%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT_S,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    if not path or not os.path.isfile(path):
        return None
    return FontFace(path, int(index) if index.isdigit() else 0)


def _fc_list_cjk() -> list[FontFace]:
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}|%{index}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT_S,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    faces: list[FontFace] = []
    for line in sorted(out.splitlines()):
        path, _, index = line.partition("|")
        if os.path.isfile(path):
            faces.append(FontFace(path, int(index) if index.isdigit() else 0))
    return faces


def renders_cjk(face: FontFace) -> bool:
    """True if the face draws distinct glyphs for Chinese (not empty boxes or tofu)."""
    try:
        font = _load(face.path, face.index, 24)
    except OSError:
        return False
    with RENDER_LOCK:
        bitmaps = []
        for ch in _PROBE + "\U0010fffd":  # last one: a code point no font has, i.e. tofu
            img = Image.new("L", (32, 40), 0)
            ImageDraw.Draw(img).text((2, 2), ch, font=font, fill=255)
            bitmaps.append(img.tobytes())
    glyphs, tofu = bitmaps[:-1], bitmaps[-1]
    return (
        all(any(g) for g in glyphs)
        and all(g != tofu for g in glyphs)
        and len(set(glyphs)) == len(glyphs)
    )


def find_cjk_face(bold: bool = False) -> FontFace:
    override = os.environ.get(FONT_ENV)
    if override:
        path, sep, index = override.rpartition(":")
        if not sep or not index.isdigit():
            path, index = override, "0"
        face = FontFace(path, int(index))
        if not renders_cjk(face):
            raise FontNotFound(f"{FONT_ENV}={override} cannot draw Chinese")
        return face
    pattern = ":lang=zh-cn:weight=bold" if bold else ":lang=zh-cn"
    candidates = [_fc_match(pattern), _fc_match(":lang=zh-cn"), *_fc_list_cjk()]
    for candidate in candidates:
        if candidate is not None and renders_cjk(candidate):
            return candidate
    raise FontNotFound(
        "no font that draws Chinese was found through fontconfig "
        "(install fonts-noto-cjk, or set HALLQ_CJK_FONT=/path/to/font.ttc:index)"
    )


@functools.lru_cache(maxsize=1)
def default_fonts() -> FontSet:
    regular = find_cjk_face()
    try:
        bold = find_cjk_face(bold=True)
    except FontNotFound:
        bold = regular
    return FontSet(regular, bold)


def fonts_from_file(path: str, index: int = 0, bold_path: str | None = None) -> FontSet:
    regular = FontFace(path, index)
    if not renders_cjk(regular):
        raise FontNotFound(f"{path} (face {index}) cannot draw Chinese")
    bold = FontFace(bold_path, index) if bold_path else regular
    return FontSet(regular, bold)
