"""`hallq doctor` finds nothing wrong with the demo hall as `hallq install` lays it down:
the server (hall file, SQLite database migrated, voice clips, fonts, time zone) and a kiosk
with the preview printer and a device token the running server accepts. Warnings (the
clock's NTP state cannot be read in a container; foot too old for touch) do not fail it."""

from __future__ import annotations

from pathlib import Path

from queue_server.api.deps import Services
from tests.deploy.installed import doctor, install
from tests.support.auth import device_token
from tests.support.live_server import LiveServer


def test_server(server_root: Path) -> None:
    status, report = doctor(server_root)
    assert status == 0, report
    assert "role server" in report and "all good" in report
    for check in ("configuration", "time zone", "database", "voice clips", "fonts"):
        assert f"ok       {check}:" in report, report


def test_kiosk(server: LiveServer, services: Services, tmp_path: Path) -> None:
    token = tmp_path / "kiosk.token"
    token.write_text(device_token(services, name="kiosk-1"))
    root = tmp_path / "kiosk"
    install(root, "kiosk", "--server", server.url, "--hall", "test", "--token-file", str(token),
            "--printer", f"preview:{tmp_path}/receipts")  # fmt: skip
    status, report = doctor(root)
    assert status == 0, report
    for check in ("server", "device token kiosk-1", "printer kiosk-1", "programs", "fonts"):
        assert f"ok       {check}:" in report, report
