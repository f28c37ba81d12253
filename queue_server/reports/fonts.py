"""The CJK font the bulletin's PDF and charts are drawn with (Debian: fonts-noto-cjk)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

FONT_ENV = "HALLQ_CJK_FONT"  # "path" or "path:index" to choose another font
FAMILY = "Noto Sans CJK SC"


class CjkFontMissing(RuntimeError):
    """No font on this machine can draw the bulletin's Chinese."""


@dataclass(frozen=True)
class CjkFont:
    path: str
    index: int  # face number inside a .ttc collection


MISSING = (
    "no CJK font found for the bulletin (looked for Noto Sans CJK SC via fontconfig and "
    "matplotlib); install fonts-noto-cjk (scripts/system-deps.sh) or set "
    f"{FONT_ENV}=/path/to/font.ttc:index"
)


@functools.cache
def find_cjk_font() -> CjkFont:
    override = os.environ.get(FONT_ENV)
    if override:
        path, sep, index = override.rpartition(":")
        if not sep or not index.isdigit():
            path, index = override, "0"
        if not os.path.isfile(path):
            raise CjkFontMissing(f"{FONT_ENV}={override!r}: no such file")
        return CjkFont(path, int(index))
    found = _fc_match() or _matplotlib()
    if found is None:
        raise CjkFontMissing(MISSING)
    return found


# The notice (通报) after GB/T 9704 wants 仿宋 for the body, 小标宋 for titles, 黑体 for
# headings; none of them is free. The free Noto Serif CJK (a 宋体/Song design) stands in for
# the first two, Noto Sans CJK (a 黑体/Hei design) for the third.
SERIF = "Noto Serif CJK SC"


@functools.cache
def find_font(family: str, style: str = "Regular") -> CjkFont:
    """A face of `family` (fontconfig), else the bulletin's own CJK font."""
    return _fc_match(family, style) or find_cjk_font()


def _fc_match(family: str = FAMILY, style: str = "Regular") -> CjkFont | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{family}|%{file}|%{index}", f"{family}:style={style}"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found, _, rest = out.partition("|")
    path, _, index = rest.partition("|")
    # fc-match always answers something; only the CJK family asked for will do.
    if "CJK" not in found or family.split(" CJK")[0] not in found or not os.path.isfile(path):
        return None
    return CjkFont(path, int(index) if index.isdigit() else 0)


def _matplotlib() -> CjkFont | None:
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == FAMILY and entry.weight in (400, "normal", "regular"):
            return CjkFont(entry.fname, _face_index(entry.fname))
    return None


def _face_index(path: str) -> int:
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for number, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == FAMILY:
            return number
    return 0
