"""espeak-ng clip generation. Needs espeak-ng (and sox for the 16 kHz path)."""

from __future__ import annotations

import json
import os
import shutil
import wave
from pathlib import Path

import pytest

from queue_server.voice.clips import MANIFEST_NAME, SAMPLE_RATE, VoiceToolMissing, generate_clips
from queue_server.voice.tokens import Utterance, all_tokens, announcement_tokens


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} is not installed (Debian package {tool})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide it")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    _require("espeak-ng")
    _require("sox")
    out = tmp_path_factory.mktemp("clips")
    return out, generate_clips(out)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def test_one_wav_per_token_with_audio(clips: tuple[Path, list[Path]]) -> None:
    _, paths = clips
    tokens = all_tokens()
    assert [p.name for p in paths] == [f"{t}.wav" for t in tokens]
    for path in paths:
        with wave.open(str(path), "rb") as clip:
            assert clip.getnchannels() == 1
            assert clip.getframerate() == SAMPLE_RATE
            assert clip.getnframes() > 0


def test_manifest_maps_tokens_to_files_and_durations(clips: tuple[Path, list[Path]]) -> None:
    out, _ = clips
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["clips"].keys() == all_tokens().keys()
    for token in announcement_tokens("A012", "12", "zh") + announcement_tokens("A012", "12", "en"):
        entry = manifest["clips"][token]
        assert (out / entry["file"]).is_file()
        assert 0.05 < entry["duration"] < 3


def test_second_run_rewrites_nothing(clips: tuple[Path, list[Path]]) -> None:
    out, paths = clips
    before = {p: _stamp(p) for p in out.iterdir()}
    assert generate_clips(out) == paths
    assert {p: _stamp(p) for p in out.iterdir()} == before


def test_only_missing_or_changed_clips_are_regenerated(tmp_path: Path) -> None:
    _require("espeak-ng")
    tokens = {"zh_qing": Utterance("请", "cmn"), "en_3": Utterance("three", "en")}
    first = generate_clips(tmp_path, tokens)
    kept = _stamp(first[1])
    first[0].unlink()
    generate_clips(tmp_path, {**tokens, "en_4": Utterance("four", "en")})
    assert first[0].is_file()
    assert _stamp(first[1]) == kept
    generate_clips(tmp_path, {"en_3": Utterance("three", "en")})
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == ["en_3.wav"]


def test_without_sox_espeak_output_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "espeak-ng").symlink_to(_require("espeak-ng"))
    monkeypatch.setenv("PATH", str(bin_dir))
    [path] = generate_clips(tmp_path / "out", {"en_7": Utterance("seven", "en")})
    with wave.open(str(path), "rb") as clip:
        assert clip.getnchannels() == 1
        assert clip.getnframes() > 0


def test_missing_espeak_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(VoiceToolMissing, match="Debian package 'espeak-ng'"):
        generate_clips(tmp_path / "out")
    assert not (tmp_path / "out").exists()
