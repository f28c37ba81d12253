"""How one kiosk is set up, and how patient it is (tests shrink the timings)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.texts import Lang
from kiosk.voice import DEFAULT_COMMAND


@dataclass(frozen=True)
class KioskSettings:
    server: str
    hall: str
    device: str = "kiosk-1"
    lang: Lang = "zh"
    # Where visitors' phones reach the server (QR codes); the kiosk's own URL by default.
    public_url: str | None = None
    # Elder-friendly: nothing returns home faster than a slow reader.
    home_after_ticket: float = 60.0
    home_after_print_failure: float = 120.0  # time to copy the number down or scan the code
    idle_home_after: float = 180.0
    home_lang_reset_after: float = 90.0  # the home screen untouched: back to `lang`
    help_shown_for: float = 60.0
    # A screen about to close by itself shows the time left (and 继续查看) this long before.
    warn_before: float = 15.0
    # Spoken prompts: None = on where espeak-ng and a sound device exist (kiosk/voice.py).
    voice: bool | None = None
    voice_command: tuple[str, ...] = DEFAULT_COMMAND
    help_repeat_after: float = 60.0  # taps within this after a call show it again, not re-send
    help_give_up_after: float = 60.0
    tap_guard: float = 0.8  # a double tap must not also press what appears under the finger
    retry_every: float = 3.0
    refresh_every: float = 30.0
    printer_poll_every: float = 30.0
    heartbeat_every: float = 60.0
    # 刷身份证 (docs/kiosk.md): a GA 467 reader on this serial port; keyboard-wedge readers
    # need no setting (18 characters and Enter, each key within wedge_max_gap seconds).
    id_reader: str | None = None
    id_reader_baud: int = 115200
    id_reader_timeout: float = 1.0  # an answer slower than this: the reader is silent
    id_reader_poll_every: float = 0.3
    wedge_max_gap: float = 0.08
    handle_sigterm: bool = False  # systemd stops the kiosk with SIGTERM; tests must not
    # Issuing while cut off (docs/kiosk.md): the journal file (None: off, the kiosk waits for
    # the server) and how long a visitor waits for the server before an offline number.
    offline_journal: str | None = None
    offline_patience: float = 10.0

    @property
    def status_base_url(self) -> str:
        return self.public_url or self.server
