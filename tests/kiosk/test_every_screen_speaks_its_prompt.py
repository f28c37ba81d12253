"""Spoken prompts (适老化, kiosk/voice.py): each screen says what to do in the kiosk's current
language, with the board's offline espeak-ng voices, without holding up the screen; a
kiosk without a player stays silent and works as before.

The sound device is a fake sink: the configured voice command is a shell script that
notes the voice and text and has the real espeak-ng write the speech to a WAV file."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.texts import t
from kiosk.voice import voice_by_default
from printers import PrintWorker
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.conftest import need
from tests.kiosk.conftest import loaded, running_kiosk, tap, tickets, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

# Each call: NNN.voice, NNN.txt and NNN.wav (espeak-ng's speech) in the sink's folder.
SINK = """#!/bin/sh
dir="$1"; voice="$2"; text="$3"
n=$(ls "$dir" | grep -c '\\.txt$')
base="$dir/$(printf %03d "$n")"
printf %s "$voice" > "$base.voice"
printf %s "$text" > "$base.txt"
espeak-ng -v "$voice" -s 150 -w "$base.wav.part" -- "$text" && mv "$base.wav.part" "$base.wav"
"""


class Sink:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        self.script = folder.parent / "sink.sh"
        self.script.write_text(SINK)
        self.script.chmod(0o755)

    @property
    def command(self) -> tuple[str, ...]:
        return (str(self.script), str(self.folder), "{voice}", "{text}")

    def said(self) -> list[tuple[str, str]]:
        return [
            (p.with_suffix(".voice").read_text(), p.read_text())
            for p in sorted(self.folder.glob("*.txt"))
        ]

    def heard(self, text: str) -> bool:
        """Spoken to the end: espeak-ng wrote a whole WAV with sound in it."""
        for p in sorted(self.folder.glob("*.txt")):
            wav = p.with_suffix(".wav")
            if p.read_text() == text and wav.exists():
                with wave.open(str(wav), "rb") as clip:
                    return clip.getnframes() > 0
        return False


async def test_every_screen_speaks_its_prompt_in_the_current_language(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
    tmp_path: Path,
) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng is not installed (system-deps.sh)")
    sink = Sink(tmp_path / "sink")
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, voice=True, voice_command=sink.command
    ) as (app, pilot):
        await loaded(app, pilot)
        home_zh = t("choose", "zh")
        await until(pilot, lambda: sink.heard(home_zh), what="home in Chinese")
        assert ("cmn-latn-pinyin", home_zh) in sink.said()

        await tap(pilot, "#lang")
        home_en = t("choose", "en")
        await until(pilot, lambda: sink.heard(home_en), what="home in English")
        assert ("en", home_en) in sink.said()

        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        guide = app.screen
        assert isinstance(guide, GuideScreen)
        name = guide.service.name.pick("en")
        guide_en = t("say_guide", "en", name=name)
        await until(pilot, lambda: sink.heard(guide_en), what="the guide's prompt")

        await tap(pilot, "#help")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await until(pilot, lambda: ("en", t("help_calling", "en")) in sink.said(), what="help")
        await tap(pilot, "#help-close")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")

        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(tickets(services)) == 1, what="the ticket")
        number = tickets(services)[0].number
        ticket_en = t("say_ticket", "en", number=number)
        await until(
            pilot,
            lambda: any(v == "en" and s.startswith(ticket_en) for v, s in sink.said()),
            what="the ticket's prompt",
        )
        # Speaking never held the screen up: the visitor could go on at once.
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        # Home again, for the next visitor: Chinese.
        await until(pilot, lambda: sink.said()[-1] == ("cmn-latn-pinyin", home_zh), what="zh")


async def test_a_kiosk_without_a_player_is_silent_and_works(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
    tmp_path: Path,
) -> None:
    missing = (str(tmp_path / "no-such-player"), "{text}")
    assert voice_by_default(missing) is False  # off by default where it cannot play
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, voice=True, voice_command=missing
    ) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(tickets(services)) == 1, what="the ticket")
        assert not app._notifications  # nothing about sound was shown to the visitor
