"""What goes on paper: the visitor's receipt (小票) and the window's notice slip.

Plain data, no layout. Sequences are stored as tuples so the objects stay immutable
(the worker keeps the last receipt for a reprint and must not see it change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Lang = Literal["zh", "en"]


def _freeze(obj: object, name: str) -> None:
    value = getattr(obj, name)
    if isinstance(value, str):
        raise TypeError(f"{name} must be a sequence of strings, not a single string")
    object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True)
class Receipt:
    """A ticket slip handed to the visitor at the kiosk."""

    hall_name: str
    number: str
    service_name: str
    ahead: int
    issued_at: datetime
    status_url: str
    notice: str = "过号请重新取号，请妥善保管此票 / Please keep this slip"
    hall_name_en: str | None = None
    service_name_en: str | None = None
    windows: Sequence[str] = field(default_factory=tuple)
    materials: Sequence[str] = field(default_factory=tuple)
    kind_label: str | None = None
    estimated_wait: str | None = None
    lang: Lang = "zh"
    reprint: bool = False
    # Issued by a kiosk cut off from the server: no place in line and no wait are known yet,
    # and the status link works once the kiosk's journal is reconciled.
    offline: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "windows")
        _freeze(self, "materials")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware (hall local time)")
        if self.ahead < 0:
            raise ValueError("ahead must be >= 0")
        if self.lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {self.lang!r}")
        if not self.number or not self.number.isascii():
            # The number is printed with the printer's own ASCII font at large size.
            raise ValueError(f"number must be non-empty ASCII, got {self.number!r}")


@dataclass(frozen=True)
class NoticeSlip:
    """一次性告知 材料补齐通知书: every missing material, told at once, in writing."""

    hall_name: str
    window: str
    number: str
    service_name: str
    missing_materials: Sequence[str]
    clerk_name: str
    issued_on: date
    registration_no: str
    note: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "missing_materials")
        if not self.missing_materials:
            raise ValueError("a notice slip lists at least one missing material")


Document = Receipt | NoticeSlip
