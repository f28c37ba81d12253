"""At start-up the kiosk says when raster receipts would crawl over a serial line, and how
to fix it; fast lines and native mode get no warning."""

from __future__ import annotations

from printers.profiles import slow_line_warning


def test_raster_at_9600_baud_is_warned_about() -> None:
    warning = slow_line_warning("serial", 9600, "raster", 62_000)
    assert warning is not None
    assert "65 s" in warning and "mode=native" in warning


def test_native_mode_fast_lines_and_networks_are_not() -> None:
    assert slow_line_warning("serial", 9600, "native", 62_000) is None
    assert slow_line_warning("serial", 115200, "raster", 62_000) is None
    assert slow_line_warning("network", 9600, "raster", 62_000) is None
