"""The resident ID card reader (二代身份证阅读器): GA 467 SAM serial readers and
keyboard-wedge readers, behind one adapter (hallq/devices/idcard/reader.py). The kiosk reads
cards with it (kiosk/idcard/flow.py); `hallq doctor` probes the reader with it."""

from hallq.devices.idcard.reader import CardError, CardRead

__all__ = ["CardError", "CardRead"]
