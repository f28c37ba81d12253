"""Offline voice clips: one espeak-ng WAV per announcement token, plus manifest.json.

The hall board chains these clips when the browser has no Chinese speech-synthesis
voice. manifest.json maps token id → {"file", "duration", ...}; durations are seconds.
Generation is idempotent: a clip whose text, voice and tool versions are unchanged
and whose file still exists is not synthesised again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from queue_server.voice.tokens import Utterance, all_tokens

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
SAMPLE_RATE = 16_000
SPEED_WPM = 150

# espeak-ng 1.51's "cmn" voice reads Latin text as English, and its dictionary turns
# characters into tone-numbered pinyin first, so 请 comes out as English "qing three".
# The pinyin variant of the same Mandarin voice reads those correctly, and still
# names Latin capitals the Chinese way (A → ēi).
ESPEAK_VOICES: Mapping[str, str] = {"cmn": "cmn-latn-pinyin", "en": "en"}

# Trim espeak's leading/trailing silence so chained clips do not drag; the pad leaves
# a short breath between tokens. 0.1% keeps weak fricative onsets (s, f).
_SOX_EFFECTS = (
    f"silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse rate {SAMPLE_RATE} pad 0.02 0.06"
).split()


class VoiceToolMissing(RuntimeError):
    """A command-line tool needed to synthesise clips is not installed."""


class ClipGenerationFailed(RuntimeError):
    """espeak-ng or sox ran but did not produce a clip."""


def generate_clips(out_dir: Path, tokens: Mapping[str, Utterance] | None = None) -> list[Path]:
    """Write one mono WAV per token (default: `all_tokens()`) and manifest.json to `out_dir`.

    Returns the WAV paths in token order. With sox installed clips are trimmed and
    resampled to 16 kHz; without it they are espeak-ng's own 22.05 kHz output.

    Raises:
        VoiceToolMissing: espeak-ng is not on PATH.
        ClipGenerationFailed: a tool exited with an error.
    """
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise VoiceToolMissing(
            "espeak-ng is not installed; install the Debian package 'espeak-ng' "
            "(apt-get install espeak-ng) to generate offline voice clips"
        )
    sox = shutil.which("sox")
    wanted = all_tokens() if tokens is None else dict(tokens)
    tools = {"espeak-ng": _version(espeak), "sox": _version(sox) if sox else None}

    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / MANIFEST_NAME
    old_manifest = _read_manifest(manifest_path)
    old_clips: dict[str, dict[str, Any]] = old_manifest.get("clips", {})

    entries: dict[str, dict[str, Any]] = {}
    todo: list[str] = []
    for token, utterance in wanted.items():
        previous = old_clips.get(token)
        if (
            previous is not None
            and previous.get("fingerprint") == _fingerprint(utterance, tools)
            and previous.get("file") == _file_name(token)
            and (out_dir / _file_name(token)).is_file()
        ):
            entries[token] = previous
        else:
            todo.append(token)

    if todo:
        with (
            tempfile.TemporaryDirectory(dir=out_dir, prefix=".clips-") as scratch,
            ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool,
        ):
            made = pool.map(
                lambda token: _synthesise(
                    token, wanted[token], out_dir, Path(scratch), espeak, sox, tools
                ),
                todo,
            )
            entries.update(zip(todo, made, strict=True))

    for token, previous in old_clips.items():
        if token not in wanted:
            _remove_stale(out_dir, previous.get("file"))

    manifest = {
        "format": MANIFEST_FORMAT,
        "tools": tools,
        "clips": {token: entries[token] for token in wanted},
    }
    if manifest != old_manifest:
        _write_atomically(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2))
    return [out_dir / entries[token]["file"] for token in wanted]


def _file_name(token: str) -> str:
    return f"{token}.wav"


def _fingerprint(utterance: Utterance, tools: Mapping[str, str | None]) -> str:
    source = {
        "text": utterance.text,
        "voice": ESPEAK_VOICES.get(utterance.voice, utterance.voice),
        "speed": SPEED_WPM,
        "sox_effects": _SOX_EFFECTS if tools.get("sox") else None,
        "tools": dict(tools),
    }
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()[:16]


def _synthesise(
    token: str,
    utterance: Utterance,
    out_dir: Path,
    scratch: Path,
    espeak: str,
    sox: str | None,
    tools: Mapping[str, str | None],
) -> dict[str, Any]:
    raw = scratch / f"{token}.raw.wav"
    voice = ESPEAK_VOICES.get(utterance.voice, utterance.voice)
    # Text goes through stdin so that nothing in it can be taken for an option.
    _run([espeak, "-b", "1", "-v", voice, "-s", str(SPEED_WPM), "-w", str(raw)], utterance.text)
    final = raw
    if sox:
        final = scratch / f"{token}.wav"
        _run([sox, str(raw), "-b", "16", "-c", "1", str(final), *_SOX_EFFECTS])
    duration = _duration(final)
    if duration <= 0:
        raise ClipGenerationFailed(f"clip for {token!r} ({utterance.text!r}) is empty")
    target = out_dir / _file_name(token)
    os.replace(final, target)
    return {
        "file": target.name,
        "duration": round(duration, 3),
        "text": utterance.text,
        "voice": utterance.voice,
        "fingerprint": _fingerprint(utterance, tools),
    }


def _run(command: list[str], stdin: str | None = None) -> None:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClipGenerationFailed(
            f"{Path(command[0]).name} exited with {result.returncode}: {result.stderr.strip()}"
        )


def _version(tool: str) -> str:
    result = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def _duration(path: Path) -> float:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    if not isinstance(data.get("clips"), dict):
        return {}
    return data


def _remove_stale(out_dir: Path, name: object) -> None:
    # Only plain *.wav names written by us: a hand-edited manifest must not delete
    # anything outside out_dir.
    if isinstance(name, str) and name.endswith(".wav") and Path(name).name == name:
        (out_dir / name).unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)
