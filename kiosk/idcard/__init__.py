"""The resident ID card reader (二代身份证阅读器): GA 467 SAM serial readers and
keyboard-wedge readers, behind one adapter (kiosk/idcard/reader.py)."""

from kiosk.idcard.reader import CardError, CardRead

__all__ = ["CardError", "CardRead"]
