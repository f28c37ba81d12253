"""A GA 467 resident ID card reader on a pty pair, for the kiosk's serial driver.

Written from the public SAM protocol, not from hallq/devices/idcard/protocol.py, so the driver and
the simulator can disagree. Frames: AA AA AA 96 69, a 2-byte big-endian length of what
follows, the command (CMD PARA) or status (SW1 SW2 SW3), data, and the XOR of every byte
after the preamble. Faults, each served once and then the card is lifted, as a visitor does:

- "removed":  found and selected, then the read fails with SW3 41 (card moved away);
- "checksum": the read's answer arrives with a wrong checksum byte;
- "stalls":   found and selected, then no answer to the read;
- "silent":   (not one-shot) the reader answers nothing at all.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty
from dataclasses import dataclass
from typing import Literal

Fault = Literal["removed", "checksum", "stalls", "silent"]
PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
# name 30, sex 2, nation 4, birth 16, address 70, ID number 36, authority 30, valid from 16,
# valid to 16, reserved 36: 256 bytes of UCS-2 little-endian, padded with spaces.
LAYOUT = (30, 2, 4, 16, 70, 36, 30, 16, 16, 36)


@dataclass(frozen=True)
class Card:
    id_number: str
    name: str = "张三丰"
    address: str = "北京市东城区景山前街4号"

    def text(self) -> bytes:
        values = [
            self.name,
            "1",
            "01",
            self.id_number[6:14],
            self.address,
            self.id_number,
            "北京市公安局东城分局",
            "20200101",
            "20400101",
            "",
        ]
        out = b""
        for value, size in zip(values, LAYOUT, strict=True):
            raw = value.encode("utf-16-le")
            out += raw + b" \x00" * ((size - len(raw)) // 2)
        assert len(out) == 256
        return out


def frame(status: int, data: bytes = b"", *, break_checksum: bool = False) -> bytes:
    body = bytes([0, 0, status]) + data
    head = (len(body) + 1).to_bytes(2, "big") + body
    chk = 0
    for byte in head:
        chk ^= byte
    if break_checksum:
        chk ^= 0x5A
    return PREAMBLE + head + bytes([chk])


class PtyCardReader:
    def __init__(self) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        tty.setraw(self.master)
        self.device = os.ttyname(slave)
        self._slave = slave
        self._lock = threading.Lock()
        self.card: Card | None = None
        self.fault: Fault | None = None
        self.commands: list[tuple[int, int]] = []
        self.reads = 0  # complete base-information answers sent
        self._buffer = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def place(self, card: Card, fault: Fault | None = None) -> None:
        with self._lock:
            self.card, self.fault = card, fault

    def lift(self) -> None:
        with self._lock:
            self.card = None

    def go_silent(self) -> None:
        with self._lock:
            self.fault = "silent"

    def answer_again(self) -> None:
        with self._lock:
            self.fault = None

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                self._buffer += os.read(self.master, 4096)
            except OSError:
                return
            while True:
                command = self._next_command()
                if command is None:
                    break
                reply = self._answer(command)
                if reply:
                    with contextlib.suppress(OSError):
                        os.write(self.master, reply)

    def _next_command(self) -> tuple[int, int] | None:
        start = self._buffer.find(PREAMBLE)
        if start < 0 or len(self._buffer) < start + 7:
            return None
        length = int.from_bytes(self._buffer[start + 5 : start + 7], "big")
        end = start + 7 + length
        if len(self._buffer) < end:
            return None
        body = self._buffer[start + 5 : end]
        self._buffer = self._buffer[end:]
        chk = 0
        for byte in body[:-1]:
            chk ^= byte
        if chk != body[-1]:
            return (-1, -1)
        return (body[2], body[3])

    def _answer(self, command: tuple[int, int]) -> bytes:
        with self._lock:
            self.commands.append(command)
            card, fault = self.card, self.fault
            if fault == "silent":
                return b""
            if command == (-1, -1):
                return frame(0x10)
            if command == (0x20, 0x01):
                return frame(0x9F, bytes(4)) if card else frame(0x80)
            if command == (0x20, 0x02):
                return frame(0x90, bytes(8)) if card else frame(0x81)
            if command == (0x30, 0x01):
                if card is None:
                    return frame(0x41)
                if fault is not None:
                    self.card, self.fault = None, None  # the visitor lifts the card
                if fault == "removed":
                    return frame(0x41)
                if fault == "stalls":
                    return b""
                data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big")
                photo = os.urandom(1024)
                if fault == "checksum":
                    return frame(0x90, data + card.text() + photo, break_checksum=True)
                self.reads += 1
                return frame(0x90, data + card.text() + photo)
            return frame(0x21)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
