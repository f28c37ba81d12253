"""Shared fixtures: a fixed receipt, CJK fonts, and a fake ESC/POS printer on loopback TCP."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from printers.fonts import FontFace, FontNotFound, FontSet, default_fonts, renders_cjk
from printers.receipt import NoticeSlip, Receipt
from tests.support.escpos_printer import (
    EmulatedPrinter,
    Incomplete,
    PtyPrinter,
    TcpPrinter,
    next_command,
)

HALL_TZ = timezone(timedelta(hours=8))
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
# Face 2 of the Noto CJK collections is Simplified Chinese (what fc-match picks for zh-cn).
PINNED = FontSet(
    FontFace(str(NOTO_DIR / "NotoSansCJK-Regular.ttc"), 2),
    FontFace(str(NOTO_DIR / "NotoSansCJK-Bold.ttc"), 2),
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the CI machine must install fonts-noto-cjk)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pinned_fonts() -> FontSet:
    """Exactly the fonts the golden files were made with."""
    for face in (PINNED.regular, PINNED.bold):
        if not Path(face.path).is_file():
            skip_or_fail(f"fonts-noto-cjk not installed ({face.path} missing)")
    return PINNED


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    """Whatever CJK font this machine has."""
    try:
        return default_fonts()
    except FontNotFound as e:
        skip_or_fail(f"no CJK font: {e}")
        raise


@pytest.fixture(scope="session")
def any_cjk_face(fonts: FontSet) -> FontFace:
    assert renders_cjk(fonts.regular)
    return fonts.regular


def make_receipt(**changes: Any) -> Receipt:
    receipt = Receipt(
        hall_name="某某市政务服务中心",
        hall_name_en="Municipal Government Service Centre",
        number="A012",
        service_name="不动产登记",
        service_name_en="Real estate registration",
        ahead=7,
        issued_at=datetime(2024, 5, 6, 9, 12, 30, tzinfo=HALL_TZ),
        windows=["3号窗口", "5号窗口"],
        materials=[
            "申请人身份证原件及复印件（正反面）",
            "不动产权属证书",
            "购房合同原件一份，复印件两份（加盖公章）",
        ],
        status_url="https://hall.example.gov.cn/q/A012?d=20240506",
        kind_label="绿色通道",
        estimated_wait="12-18 分钟",
    )
    return replace(receipt, **changes)


def make_notice_slip(**changes: Any) -> NoticeSlip:
    slip = NoticeSlip(
        hall_name="某某市政务服务中心",
        window="3号窗口",
        number="A012",
        service_name="不动产登记",
        missing_materials=["申请人身份证复印件（正反面）", "不动产权属证书原件"],
        clerk_name="张三",
        issued_on=date(2024, 5, 6),
        registration_no="BZ-20240506-0031",
    )
    return replace(slip, **changes)


@pytest.fixture
def receipt() -> Receipt:
    return make_receipt()


# DLE EOT 1 / 2 / 4 replies. Fixed bits 0x12; 0x08 offline; 0x60 paper end; 0x0C near end.
REPLIES: dict[str, dict[int, bytes]] = {
    "ok": {1: b"\x12", 2: b"\x12", 4: b"\x12"},
    "paper_low": {1: b"\x12", 2: b"\x12", 4: b"\x1e"},
    "paper_out": {1: b"\x1a", 2: b"\x32", 4: b"\x72"},
    "offline": {1: b"\x1a", 2: b"\x16", 4: b"\x12"},
}


class FakePrinter:
    """A network printer on 127.0.0.1.

    mode: a REPLIES key (prints and answers status), "silent" (prints, never answers
    status), or "stuck" (accepts connections, never reads a byte). The mode can be
    changed while running, e.g. to have the printer recover.
    """

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.jobs: list[bytes] = []
        self.job_received = threading.Event()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Small receive buffer so a "stuck" printer fills up the way a real one does.
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port: int = self._server.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            if self.mode != "stuck":
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf, job = bytearray(), bytearray()
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
                pos = 0
                while pos < len(buf):
                    try:
                        cmd = next_command(buf, pos)
                    except Incomplete:
                        break
                    pos += len(cmd.raw)
                    if cmd.kind == "realtime":
                        self._answer(conn, cmd.raw[2])
                    elif cmd.kind == "gs_r":
                        if self.mode in REPLIES:  # printed: GS r is answered after the job
                            conn.sendall(b"\x00")
                    else:
                        job += cmd.raw
                del buf[:pos]
        except OSError:
            return
        if job:
            with self._lock:
                self.jobs.append(bytes(job))
            self.job_received.set()

    def _answer(self, conn: socket.socket, n: int) -> None:
        reply = REPLIES.get(self.mode, {}).get(n, b"\x12" if self.mode in REPLIES else b"")
        if reply:
            conn.sendall(reply)

    def close(self) -> None:
        self._closed = True
        # shutdown wakes the thread blocked in accept(); close() alone leaves it listening.
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


@pytest.fixture
def receipt_with() -> Any:
    """make_receipt(**changes) as a fixture, so tests need not import conftest."""
    return make_receipt


@pytest.fixture
def notice_slip() -> NoticeSlip:
    return make_notice_slip()


@pytest.fixture
def start_printer() -> Iterator[Any]:
    started: list[FakePrinter] = []

    def start(mode: str = "ok") -> FakePrinter:
        printer = FakePrinter(mode)
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()


class FakeClock:
    """Injected hall clock: moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2024, 5, 6, 9, 12, 30, tzinfo=HALL_TZ))


@pytest.fixture
def pty_printer() -> Iterator[Any]:
    """start(printer, baud): an emulated printer behind a pty pair read at the line's rate."""
    started: list[PtyPrinter] = []

    def start(printer: EmulatedPrinter, baud: int = 9600) -> PtyPrinter:
        line = PtyPrinter(printer, baud)
        started.append(line)
        return line

    yield start
    for line in started:
        line.close()


@pytest.fixture
def tcp_printer() -> Iterator[Any]:
    """start(printer): an emulated printer on loopback TCP."""
    started: list[TcpPrinter] = []

    def start(printer: EmulatedPrinter) -> TcpPrinter:
        server = TcpPrinter(printer)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
