"""`hallq kiosk --printer ...` for every transport the printers library offers."""

from __future__ import annotations

import pytest

from printers.spec import BadPrinterSpec, parse_printer


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


def test_it_understands_mode_profile_and_dots() -> None:
    native = parse_printer("serial:/dev/ttyS0:9600,mode=native")
    assert (native.device, native.baudrate, native.mode) == ("/dev/ttyS0", 9600, "native")
    epson = parse_printer("network:192.168.1.50,profile=TM-T88V")
    assert (epson.host, epson.profile, epson.mode) == ("192.168.1.50", "TM-T88V", "raster")
    assert parse_printer("usb:0416:5011,dots=512,mode=native").dots == 512
    assert parse_printer("network:h").mode == "raster"  # printers without a Chinese font


@pytest.mark.parametrize(
    "spec",
    [
        "network:h,profile=NoSuchPrinter",
        "network:h,dots=abc",
        "network:h,dots=100",
        "network:h,mode=fast",
        "network:h,colour=red",
        "network:h,mode",
        "network:h,mode=native,mode=raster",
        "network:h,profile=AF-240",
    ],
)
def test_it_refuses_printer_options_it_cannot_use(spec: str) -> None:
    with pytest.raises(BadPrinterSpec, match="--printer"):
        parse_printer(spec)


@pytest.mark.parametrize(
    "spec", ["", "laser", "usb:0416", "network:", "file:", "cups:", "network:host:port", "dummy:x"]
)
def test_it_refuses_printer_settings_it_cannot_use(spec: str) -> None:
    with pytest.raises(BadPrinterSpec, match="--printer"):
        parse_printer(spec)
