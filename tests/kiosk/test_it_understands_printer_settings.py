"""`hallq kiosk --printer ...` for every transport the printers library offers."""

from __future__ import annotations

import pytest

from kiosk.printer_spec import BadPrinterSpec, parse_printer


def test_it_understands_printer_settings() -> None:
    preview = parse_printer("preview")
    assert (preview.kind, preview.folder, preview.width_mm) == ("preview", "var/receipts", 80)
    assert parse_printer("preview:/srv/receipts").folder == "/srv/receipts"
    assert parse_printer("dummy", width_mm=58).width_mm == 58
    net = parse_printer("network:192.168.1.50")
    assert (net.kind, net.host, net.port) == ("network", "192.168.1.50", 9100)
    assert parse_printer("network:printer.local:9101").port == 9101
    usb = parse_printer("usb:0416:5011")
    assert (usb.vendor_id, usb.product_id) == (0x0416, 0x5011)
    assert parse_printer("file:/dev/usb/lp0").path == "/dev/usb/lp0"
    serial = parse_printer("serial:/dev/ttyUSB0:115200")
    assert (serial.device, serial.baudrate) == ("/dev/ttyUSB0", 115200)
    assert parse_printer("serial:/dev/ttyS0").baudrate == 9600
    assert parse_printer("cups:Kiosk_Receipts").printer_name == "Kiosk_Receipts"


@pytest.mark.parametrize(
    "spec", ["", "laser", "usb:0416", "network:", "file:", "cups:", "network:host:port", "dummy:x"]
)
def test_it_refuses_printer_settings_it_cannot_use(spec: str) -> None:
    with pytest.raises(BadPrinterSpec, match="--printer"):
        parse_printer(spec)
