"""A kiosk seat whose printer is set to a USB id no connected device has (a wrong or
mistyped id) is named with the seat, the id and the state the printer check found; a spec
that is not a printer at all is named too."""

from __future__ import annotations

from pathlib import Path

from queue_server.api.deps import Services
from tests.conftest import need
from tests.deploy.installed import doctor, install, problems
from tests.support.auth import device_token
from tests.support.live_server import LiveServer


def libusb_present() -> bool:
    import usb.backend.libusb1

    return usb.backend.libusb1.get_backend() is not None


def kiosk(server: LiveServer, services: Services, tmp_path: Path, printer: str) -> Path:
    token = tmp_path / "kiosk.token"
    token.write_text(device_token(services, name="kiosk-1"))
    root = tmp_path / "kiosk"
    install(root, "kiosk", "--server", server.url, "--hall", "test", "--token-file", str(token),
            "--printer", printer)  # fmt: skip
    return root


def test_wrong_usb_id(server: LiveServer, services: Services, tmp_path: Path) -> None:
    need(libusb_present(), "libusb-1.0-0 is not installed")
    status, report = doctor(kiosk(server, services, tmp_path, "usb:dead:beef"))
    assert status == 1
    [found] = problems(report)
    assert (
        found == "PROBLEM  printer kiosk-1: usb:dead:beef: offline (usb dead:beef: not connected)"
    )
    assert "lsusb" in report


def test_not_a_printer(server: LiveServer, services: Services, tmp_path: Path) -> None:
    status, report = doctor(kiosk(server, services, tmp_path, "usb:0416"))
    assert status == 1
    [found] = problems(report)
    assert found.startswith("PROBLEM  printer kiosk-1: --printer 'usb:0416': expected usb:")
