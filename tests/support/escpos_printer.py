"""An independent ESC/POS reader and a printer emulator for the tests.

`EscposReader` splits a byte stream into commands the way a printer does, and turns what it
prints back into lines of text (GB18030 in Chinese mode), raster images and QR codes: the
decoder the native-mode golden test checks the Chinese against. `EmulatedPrinter` answers
status queries like a real printer (DLE EOT at once, GS r only after everything before it
was processed) and can run out of paper, have its cover opened, jam its cutter or go silent
in the middle of a job. `TcpPrinter` serves it on loopback TCP, `PtyPrinter` on a pty pair
read at a serial line's real rate.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
# Fixed-length commands: (prefix, second byte) -> total length in bytes.
FIXED: dict[tuple[int, int], int] = {
    **{(ESC, ord(c)): 3 for c in "a!EdJMt-G3{V U"},
    (ESC, ord("@")): 2,
    (ESC, ord("2")): 2,
    **{(GS, ord(c)): 3 for c in "!BrhwHfaI"},
    (GS, ord("L")): 4,
    (GS, ord("W")): 4,
    (FS, ord("&")): 2,
    (FS, ord(".")): 2,
    (FS, ord("!")): 3,
    (FS, ord("C")): 3,
    (FS, ord("W")): 3,
    (FS, ord("-")): 3,
    (DLE, 0x04): 3,
    (DLE, 0x05): 3,
}


@dataclass
class Line:
    text: str
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1
    inverse: bool = False


@dataclass
class Printout:
    lines: list[Line] = field(default_factory=list)
    images: list[tuple[int, int]] = field(default_factory=list)  # (width, height) in dots
    bitmaps: list[list[list[bool]]] = field(default_factory=list)  # rows of black dots
    qr_codes: list[str] = field(default_factory=list)
    cuts: int = 0
    chinese_mode: bool = False
    bytes_read: int = 0

    @property
    def text(self) -> list[str]:
        return [line.text for line in self.lines]


class Incomplete(Exception):
    """More bytes are needed to finish the command."""


Kind = Literal["text", "command", "realtime", "gs_r"]


@dataclass(frozen=True)
class Command:
    raw: bytes
    kind: Kind


def next_command(buf: bytes | bytearray, pos: int) -> Command:
    """The command starting at buf[pos]; raises Incomplete if it runs past the end."""
    b = buf[pos]
    if b not in (ESC, GS, FS, DLE):
        end = pos + 1
        while end < len(buf) and buf[end] not in (ESC, GS, FS, DLE):
            end += 1
        return Command(bytes(buf[pos:end]), "text")
    if pos + 1 >= len(buf):
        raise Incomplete
    second = buf[pos + 1]
    if b == GS and second == ord("v"):  # GS v 0 m xL xH yL yH d1...dk
        _need(buf, pos + 8)
        width, height = buf[pos + 4] | buf[pos + 5] << 8, buf[pos + 6] | buf[pos + 7] << 8
        return Command(_take(buf, pos, 8 + width * height), "command")
    if b == GS and second == ord("("):  # GS ( X pL pH ...
        _need(buf, pos + 5)
        return Command(_take(buf, pos, 5 + (buf[pos + 3] | buf[pos + 4] << 8)), "command")
    if b == GS and second == ord("V"):
        _need(buf, pos + 3)
        return Command(_take(buf, pos, 4 if buf[pos + 2] in (65, 66) else 3), "command")
    if b == GS and second == ord("k"):  # barcodes: function B form only (m >= 65)
        _need(buf, pos + 4)
        return Command(_take(buf, pos, 4 + buf[pos + 3]), "command")
    length = FIXED.get((b, second))
    if length is None:
        raise ValueError(f"unknown command {bytes(buf[pos : pos + 2]).hex()} at byte {pos}")
    raw = _take(buf, pos, length)
    if b == DLE:
        return Command(raw, "realtime")
    if b == GS and second == ord("r"):
        return Command(raw, "gs_r")
    return Command(raw, "command")


def _need(buf: bytes | bytearray, end: int) -> None:
    if end > len(buf):
        raise Incomplete


def _take(buf: bytes | bytearray, pos: int, length: int) -> bytes:
    _need(buf, pos + length)
    return bytes(buf[pos : pos + length])


class EscposReader:
    """Turns commands into a printout: text lines with their style, images, QR codes."""

    def __init__(self) -> None:
        self.out = Printout()
        self._text = bytearray()
        self._style = Line("")
        self._qr_data = b""

    def apply(self, cmd: Command) -> None:
        raw = cmd.raw
        self.out.bytes_read += len(raw)
        if cmd.kind == "text":
            for byte in raw:
                if byte == 0x0A:
                    self._end_line()
                elif byte != 0x0D:
                    self._text.append(byte)
            return
        if cmd.kind != "command":
            return
        head = raw[:2]
        s = self._style
        if head == b"\x1b@":
            self._style, self.out.chinese_mode = Line(""), False
        elif head == b"\x1ba":
            s.align = raw[2] % 48
        elif head == b"\x1bE":
            s.bold = bool(raw[2] & 1)
        elif head == b"\x1d!":
            s.width, s.height = (raw[2] >> 4) + 1, (raw[2] & 0x0F) + 1
        elif head == b"\x1b!":
            s.width, s.height = (2 if raw[2] & 0x20 else 1), (2 if raw[2] & 0x10 else 1)
            s.bold = bool(raw[2] & 0x08)
        elif head == b"\x1dB":
            s.inverse = bool(raw[2] & 1)
        elif head == b"\x1c&":
            self.out.chinese_mode = True
        elif head == b"\x1c.":
            self.out.chinese_mode = False
        elif head == b"\x1bd":
            self._end_line(force=False)
        elif head == b"\x1dv":
            self._end_line(force=False)
            width_bytes, height = raw[4] | raw[5] << 8, raw[6] | raw[7] << 8
            self.out.images.append((width_bytes * 8, height))
            body = raw[8:]
            self.out.bitmaps.append(
                [
                    [
                        bool(body[y * width_bytes + x // 8] & (0x80 >> (x % 8)))
                        for x in range(width_bytes * 8)
                    ]
                    for y in range(height)
                ]
            )
        elif head == b"\x1d(" and raw[2] == ord("k"):
            fn = raw[6]
            if fn == 80:
                self._qr_data = raw[8:]
            elif fn == 81:
                self.out.qr_codes.append(self._qr_data.decode("ascii"))
        elif head == b"\x1dV":
            self._end_line(force=False)
            self.out.cuts += 1

    def _end_line(self, force: bool = True) -> None:
        if not self._text and not force:
            return
        encoding = "gb18030" if self.out.chinese_mode else "cp437"
        text = bytes(self._text).decode(encoding, errors="replace")
        s = self._style
        self.out.lines.append(Line(text, s.align, s.bold, s.width, s.height, s.inverse))
        self._text.clear()


def read_job(data: bytes) -> Printout:
    """Decode a complete job (the tests' decoder)."""
    reader = EscposReader()
    pos = 0
    while pos < len(data):
        cmd = next_command(data, pos)
        reader.apply(cmd)
        pos += len(cmd.raw)
    return reader.out


Fault = Literal["paper_end", "cover_open", "cutter", "silent"]
# DLE EOT n replies (fixed bits 0x12): 1 printer, 2 offline cause, 3 error cause, 4 paper.
OK_REPLIES = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
GS_R_OK, GS_R_PAPER_END = 0x00, 0x0C


class EmulatedPrinter:
    """A receipt printer's brain: fed bytes, it prints and returns what it answers.

    `fault` strikes after `fault_after` bytes of job data: paper_end and cover_open stop
    the printing (status queries still answered, as real-time commands are); cutter jams at
    the cut; silent takes everything and answers nothing from then on.
    """

    def __init__(
        self, fault: Fault | None = None, fault_after: int = 0, answers_status: bool = True
    ) -> None:
        self.fault = fault
        self.fault_after = fault_after
        self.answers_status = answers_status
        self.jobs: list[Printout] = []
        self.raw_jobs: list[bytes] = []
        self.struck = False
        self._buf = bytearray()
        self._reader: EscposReader | None = None
        self._raw = bytearray()
        self._lock = threading.Lock()
        self.job_done = threading.Event()

    def feed(self, data: bytes) -> bytes:
        replies = bytearray()
        with self._lock:
            self._buf += data
            pos = 0
            while pos < len(self._buf):
                try:
                    cmd = next_command(self._buf, pos)
                except Incomplete:
                    break
                pos += len(cmd.raw)
                replies += self._handle(cmd)
            del self._buf[:pos]
        return bytes(replies)

    def _handle(self, cmd: Command) -> bytes:
        if cmd.kind == "realtime":
            return self._realtime(cmd.raw[2])
        if cmd.kind == "gs_r":
            if self.struck or not self.answers_status:
                return b""
            self._finish_job()
            return bytes([GS_R_OK])
        if self._reader is None:
            self._reader, self._raw = EscposReader(), bytearray()
        self._raw += cmd.raw
        strikes_now = self.fault != "cutter" or cmd.raw[:2] == b"\x1dV"
        if (
            self.fault is not None
            and not self.struck
            and len(self._raw) > self.fault_after
            and strikes_now
        ):
            self.struck = True
        if not self.struck or self.fault == "silent":
            self._reader.apply(cmd)
        if cmd.raw[:2] == b"\x1dV" and not self.struck:
            self._finish_job()
        return b""

    def _finish_job(self) -> None:
        if self._reader is not None:
            self.jobs.append(self._reader.out)
            self.raw_jobs.append(bytes(self._raw))
            self._reader = None
            self.job_done.set()

    def _realtime(self, n: int) -> bytes:
        if not self.answers_status or (self.struck and self.fault == "silent"):
            return b""
        reply = dict(OK_REPLIES)
        if self.struck and self.fault == "paper_end":
            reply.update({1: 0x1A, 2: 0x32, 4: 0x72})
        elif self.struck and self.fault == "cover_open":
            reply.update({1: 0x1A, 2: 0x16})
        elif self.struck and self.fault == "cutter":
            reply.update({1: 0x1A, 2: 0x52, 3: 0x1A})
        return bytes([reply.get(n, 0x12)])

    def repair(self) -> None:
        """The duty lead loads paper, closes the cover, clears the jam."""
        with self._lock:
            self.fault, self.struck, self._reader = None, False, None


class TcpPrinter:
    """The emulated printer on 127.0.0.1, one connection at a time like a JetDirect port."""

    def __init__(self, printer: EmulatedPrinter) -> None:
        self.printer = printer
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self.port: int = self._server.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                while True:
                    try:
                        chunk = conn.recv(4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    reply = self.printer.feed(chunk)
                    if reply:
                        with contextlib.suppress(OSError):
                            conn.sendall(reply)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()


class PtyPrinter:
    """The emulated printer behind a pty pair, reading at `baud` (10 bits a byte).

    The kernel's pty buffer is small (a few KB), so a writer faster than the line blocks
    exactly as on a real serial cable: the job takes its real time.
    """

    def __init__(
        self,
        printer: EmulatedPrinter,
        baud: int = 9600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.printer = printer
        self.baud = baud
        self._clock = clock
        self.master, slave = os.openpty()
        tty.setraw(slave)  # no echo: the printer's answers must not come back to it
        self.device = os.ttyname(slave)
        self._slave = slave  # kept open so the line exists between jobs
        self._stop = threading.Event()
        self.bytes_read = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        import select

        rate = self.baud / 10
        start = self._clock()
        budget_from = 0
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                start, budget_from = self._clock(), self.bytes_read
                continue
            allowed = int((self._clock() - start) * rate) - (self.bytes_read - budget_from)
            if allowed <= 0:
                time.sleep(min(0.02, 1 / rate * 16))
                continue
            try:
                chunk = os.read(self.master, min(allowed, 256))
            except OSError:
                return
            self.bytes_read += len(chunk)
            reply = self.printer.feed(chunk)
            if reply:
                with contextlib.suppress(OSError):
                    os.write(self.master, reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
