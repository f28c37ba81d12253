"""The reader adapter: a CardRead (ID number, name, birth date) or a CardError saying why not.

Two drivers:
- `SerialCardReader`: GA 467 SAM readers on a serial or USB-serial port (find, select, read
  base information; every answer's length, checksum and status checked). A card taken away
  mid-read, a bad checksum or a reader that stops answering is a CardError, never a half
  read.
- `WedgeRecogniser`: readers that type the ID number and Enter as a USB keyboard. Typed
  fast (each key within `max_gap` seconds of the one before), 18 characters, a valid check
  character: a card. Anything slower is a person typing.

Nothing from a card is written anywhere: CardRead's repr is masked, the photo is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import serial

from hallq.devices.idcard import protocol
from hallq.devices.idcard.id_number import birth_date, masked, valid_id_number

# No person types this many keys this fast; fewer may be a scanner of something else.
MIN_BURST = 12
ErrorKind = Literal["removed", "checksum", "silent", "refused", "invalid"]


@dataclass(frozen=True)
class CardRead:
    id_number: str = field(repr=False)
    name: str = field(repr=False)
    birth: date | None
    source: Literal["serial", "wedge"]

    def __repr__(self) -> str:
        return f"CardRead({masked(self.id_number)}, {self.source})"


class CardError(Exception):
    """The card could not be read: `kind` picks the message the visitor sees."""

    def __init__(self, kind: ErrorKind, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def card_from_text(text: protocol.CardText) -> CardRead:
    number = valid_id_number(text.id_number)
    if number is None:
        raise CardError("invalid", "the card's ID number field does not check out")
    born = birth_date(number)
    if text.birth and text.birth != number[6:14]:
        # Two fields of one card disagree: a misread, not a card to act on.
        raise CardError("invalid", "the card's birth date and ID number disagree")
    return CardRead(number, text.name, born, "serial")


class SerialCardReader:
    """One GA 467 reader on `port`. Not thread-safe: one poller uses it."""

    def __init__(self, port: str, *, baudrate: int = 115200, timeout: float = 1.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self._serial: serial.Serial | None = None
        self._present: str | None = None  # the number read from the card still on the reader

    def open(self) -> None:
        if self._serial is None:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=self.timeout)

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def transact(self, cmd: tuple[int, int]) -> protocol.Answer:
        self.open()
        port = self._serial
        assert port is not None
        port.reset_input_buffer()  # a late answer to an earlier command is not this one's
        port.write(protocol.command(cmd))
        port.flush()
        head = port.read(7)
        if not head:
            raise CardError("silent", f"no answer from the reader on {self.port}")
        try:
            length = protocol.frame_length(head) if len(head) == 7 else None
            if length is None:
                raise protocol.FrameError(f"a {len(head)}-byte answer")
            rest = port.read(length)
            if len(rest) != length:
                raise CardError("silent", f"the reader stopped after {len(rest)} of {length}")
            return protocol.parse_answer(head + rest)
        except protocol.FrameError as exc:
            port.reset_input_buffer()
            raise CardError("checksum", str(exc)) from exc

    def probe(self) -> bool:
        """Whether a GA 467 reader answers on the port (doctor): any well-formed answer to
        find-card, card or no card."""
        try:
            self.transact(protocol.FIND_CARD)
        except (CardError, serial.SerialException, OSError):
            return False
        return True

    def poll(self) -> CardRead | None:
        """A newly placed card, read; None when there is none (or the same card is still
        lying on the reader after it was read)."""
        found = self.transact(protocol.FIND_CARD)
        if found.sw3 != protocol.FOUND:
            self._present = None
            if found.sw3 == 0x80:
                return None
            raise CardError("refused", found.reason())
        selected = self.transact(protocol.SELECT_CARD)
        if not selected.ok:
            # Found, then gone before it could be selected: the card was moved away.
            raise CardError("removed", selected.reason())
        read = self.transact(protocol.READ_BASE)
        if read.sw3 != protocol.OK:
            raise CardError("removed" if read.sw3 == 0x41 else "refused", read.reason())
        try:
            card = card_from_text(protocol.parse_base_info(read.data))
        except protocol.FrameError as exc:
            raise CardError("checksum", str(exc)) from exc
        if card.id_number == self._present:
            return None
        self._present = card.id_number
        return card


class WedgeRecogniser:
    """Keys typed by a keyboard-wedge reader: 18 characters and Enter, in a burst."""

    def __init__(self, max_gap: float = 0.08) -> None:
        self.max_gap = max_gap
        self._typed: list[str] = []
        self._last = 0.0

    def feed(self, key: str, character: str | None, now: float) -> CardRead | CardError | None:
        """The card when `key` is the Enter ending a burst of a valid ID number; a CardError
        when a reader's burst (at least MIN_BURST keys) does not check out; else None."""
        in_burst = bool(self._typed) and now - self._last <= self.max_gap
        self._last = now
        if key == "enter":
            typed = "".join(self._typed) if in_burst else ""
            self._typed = []
            if len(typed) < MIN_BURST:
                return None  # a person pressing Enter, or a short burst of something else
            number = valid_id_number(typed) if len(typed) == 18 else None
            if number is None:
                return CardError("invalid", f"a keyboard burst of {len(typed)} characters")
            return CardRead(number, "", birth_date(number), "wedge")
        if character is None or len(character) != 1 or character.upper() not in "0123456789X":
            self._typed = []
            return None
        if not in_burst:
            self._typed = []
        self._typed.append(character)
        if len(self._typed) > 19:
            self._typed = self._typed[-19:]  # past 18 stays past 18: not an ID number
        return None

    @property
    def pending(self) -> bool:
        return bool(self._typed)
