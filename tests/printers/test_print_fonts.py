"""Finding a CJK font through fontconfig, and failing clearly when there is none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from printers.fonts import FONT_ENV, FontFace, FontNotFound, FontSet, find_cjk_face, renders_cjk


def test_it_finds_a_font_that_draws_chinese(fonts: FontSet) -> None:
    assert renders_cjk(fonts.regular)
    assert renders_cjk(fonts.bold)


def test_env_override_is_used(monkeypatch: pytest.MonkeyPatch, fonts: FontSet) -> None:
    monkeypatch.setenv(FONT_ENV, fonts.regular.spec())
    assert find_cjk_face() == fonts.regular


def test_a_latin_only_font_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    latin = _latin_font()
    assert not renders_cjk(latin)
    monkeypatch.setenv(FONT_ENV, latin.spec())
    with pytest.raises(FontNotFound, match="cannot draw Chinese"):
        find_cjk_face()


def test_no_fontconfig_raises_font_not_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match, no fc-list
    with pytest.raises(FontNotFound, match="fonts-noto-cjk"):
        find_cjk_face()


def test_a_missing_file_is_not_a_cjk_font(tmp_path: Path) -> None:
    assert not renders_cjk(FontFace(str(tmp_path / "nope.ttf")))


def _latin_font() -> FontFace:
    exe = shutil.which("fc-match")
    if exe is None:
        pytest.skip("fontconfig not installed")
    out = subprocess.run(
        [exe, "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=False
    ).stdout
    if not out.endswith((".ttf", ".otf")) or "CJK" in out:
        pytest.skip(f"no Latin-only font found (got {out!r})")
    return FontFace(out)
