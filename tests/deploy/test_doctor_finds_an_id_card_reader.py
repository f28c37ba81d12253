"""`hallq doctor` on a kiosk: the GA 467 reader the seat names answers (driver: serial), or
is named as not answering; an unset seat finds a reader on the ports it may probe and says
how to use it; with none, it says a keyboard-wedge reader cannot be seen from here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.api.deps import Services
from tests.deploy.installed import doctor, install, problems
from tests.support.auth import device_token
from tests.support.idcard_reader import PtyCardReader
from tests.support.live_server import LiveServer


@pytest.fixture
def sim() -> Iterator[PtyCardReader]:
    reader = PtyCardReader()
    yield reader
    reader.close()


def kiosk(server: LiveServer, services: Services, tmp_path: Path, *extra: str) -> Path:
    token = tmp_path / "kiosk.token"
    token.write_text(device_token(services, name="kiosk-1"))
    root = tmp_path / "kiosk"
    install(root, "kiosk", "--server", server.url, "--hall", "test", "--token-file", str(token),
            "--printer", f"preview:{tmp_path}/receipts", *extra)  # fmt: skip
    return root


def line(report: str, check: str) -> str:
    return next(x.strip() for x in report.splitlines() if f" {check}:" in x)


def test_the_seats_reader_answers_or_is_named(
    server: LiveServer, services: Services, tmp_path: Path, sim: PtyCardReader
) -> None:
    root = kiosk(server, services, tmp_path, "--id-reader", sim.device)
    assert f"HALLQ_ID_READER={sim.device}" in (root / "etc/hallq/kiosk-1.env").read_text()
    status, report = doctor(root)
    assert status == 0, report
    assert line(report, "ID card reader kiosk-1") == (
        f"ok       ID card reader kiosk-1: {sim.device}: a GA 467 reader answers (driver: serial)"
    )
    assert (0x20, 0x01) in sim.commands  # asked with the find-card frame

    sim.go_silent()
    status, report = doctor(root)
    assert status == 1
    [found] = problems(report)
    assert found.startswith(f"PROBLEM  ID card reader kiosk-1: {sim.device}: no GA 467 reader")
    assert "no answer" in found


def test_an_unset_seat_finds_a_reader_or_explains_the_wedge(
    server: LiveServer, services: Services, tmp_path: Path, sim: PtyCardReader
) -> None:
    root = kiosk(server, services, tmp_path)
    status, report = doctor(root, env={"HALLQ_ID_READER_PORTS": sim.device})
    assert status == 0, report
    found = line(report, "ID card reader kiosk-1")
    assert found.startswith("warning") and sim.device in found and "driver: serial" in found
    assert f"HALLQ_ID_READER={sim.device}" in report

    status, report = doctor(root, env={"HALLQ_ID_READER_PORTS": str(tmp_path / "no-tty*")})
    assert status == 0, report
    assert "keyboard-wedge reader (driver: wedge)" in line(report, "ID card reader kiosk-1")
