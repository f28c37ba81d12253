"""Spoken prompts (适老化): each kiosk screen says what to do, offline, with espeak-ng.

The same offline voice as the hall board's clips (queue_server/voice: espeak-ng, the
pinyin variant of its Mandarin voice for Chinese, "en" for English, 150 words a minute),
but spoken live: a prompt names the visitor's service and number, which no set of
pre-made clips holds. The kiosk does not import the server; this is its own thin player.

A prompt runs as a subprocess and never blocks the screen; a new prompt (the next screen)
stops the one still speaking. A kiosk without espeak-ng or without a sound device stays
silent: that is logged once, never shown to the visitor.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.texts import Lang

log = logging.getLogger("hallq.kiosk.voice")

# The board's clip voices (queue_server/voice/clips.py ESPEAK_VOICES): espeak-ng's plain
# "cmn" voice reads characters as tone-numbered pinyin in English ("qing three").
VOICES: Mapping[Lang, str] = {"zh": "cmn-latn-pinyin", "en": "en"}
SPEED_WPM = 150
# Placeholders: {voice} (espeak-ng voice), {text}, {lang}. espeak-ng plays on the default
# sound device itself.
DEFAULT_COMMAND: tuple[str, ...] = (
    "espeak-ng", "-v", "{voice}", "-s", str(SPEED_WPM), "--", "{text}"
)  # fmt: skip


def audio_device_present() -> bool:
    """A sound card that can play (ALSA), or a PulseAudio / PipeWire server to play through."""
    if glob.glob("/dev/snd/pcmC*D*p"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        return False
    return any(Path(runtime, name).exists() for name in ("pulse/native", "pipewire-0"))


def voice_by_default(command: Sequence[str] = DEFAULT_COMMAND) -> bool:
    """On only where it can be heard: the player exists and so does a sound device."""
    return shutil.which(command[0]) is not None and audio_device_present()


class Speaker:
    """Speaks one prompt at a time; `say` replaces what is being said."""

    def __init__(self, command: Sequence[str] = DEFAULT_COMMAND, *, enabled: bool = True) -> None:
        self.command = tuple(command)
        self.enabled = enabled
        self._process: asyncio.subprocess.Process | None = None
        self._missing_logged = False

    def argv(self, text: str, lang: Lang) -> list[str]:
        values = {"voice": VOICES[lang], "text": text, "lang": lang}
        return [part.format(**values) for part in self.command]

    async def say(self, text: str, lang: Lang) -> None:
        """Speak `text` to the end; cancelled (the screen changed), stop speaking at once."""
        await self.stop()
        if not self.enabled or not text.strip():
            return
        try:
            process = await asyncio.create_subprocess_exec(
                *self.argv(text, lang),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:  # no player: a silent kiosk, not a broken one
            if not self._missing_logged:
                log.warning("spoken prompts are off: cannot run %s: %s", self.command[0], exc)
                self._missing_logged = True
            return
        self._process = process
        try:
            _, err = await process.communicate()
        finally:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            if self._process is process:
                self._process = None
        if process.returncode:
            why = err.decode(errors="replace").strip()
            log.warning("prompt not spoken (exit %s): %s", process.returncode, why)

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
