"""What the kiosk knows, parsed from the API's JSON; the wording for screens and receipts.

Parsing is strict: an answer without a number is not a ticket, and the kiosk never shows or
prints a number the server did not confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hallq_client import models
from kiosk.texts import WEEKDAYS_ZH, Lang, t


class BadAnswer(ValueError):
    """The server's answer does not have the shape the kiosk needs."""


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str | None = None

    def pick(self, lang: Lang) -> str:
        return (self.en or self.zh) if lang == "en" else self.zh

    @classmethod
    def of(cls, data: Any) -> Bilingual:
        if not isinstance(data, dict) or not isinstance(data.get("zh"), str):
            raise BadAnswer(f"expected {{zh, en}} text, got {data!r}")
        en = data.get("en")
        return cls(data["zh"], en if isinstance(en, str) else None)


@dataclass(frozen=True)
class HallInfo:
    id: str
    name: Bilingual
    timezone: str
    open_now: bool
    state: str
    next_opening: datetime | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def of(cls, data: models.Hall) -> HallInfo:
        try:
            nxt = data.get("next_opening")
            return cls(
                id=str(data["id"]),
                name=Bilingual.of(data["name"]),
                timezone=str(data["timezone"]),
                open_now=bool(data["open_now"]),
                state=str(data["state"]),
                next_opening=datetime.fromisoformat(nxt) if nxt else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BadAnswer(f"bad hall: {exc}") from exc


@dataclass(frozen=True)
class Publics:
    """五公开: content, procedure, materials, promised time limit, fee (DOMAIN.md)."""

    content: Bilingual
    procedure: tuple[Bilingual, ...]
    materials: tuple[Bilingual, ...]
    time_limit_days: int
    fee: Bilingual
    fee_basis: Bilingual | None


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: Bilingual
    category: Bilingual | None
    prefix: str
    publics: Publics
    green_channel: bool
    waiting: int
    issuing_stopped: bool
    windows: tuple[int, ...]
    bookable: bool = False

    @classmethod
    def of(cls, data: models.Service) -> ServiceInfo:
        try:
            p = data["publics"]
            basis = p.get("fee_basis")
            return cls(
                code=str(data["code"]),
                name=Bilingual.of(data["name"]),
                category=Bilingual.of(data["category"]) if data.get("category") else None,
                prefix=str(data["prefix"]),
                publics=Publics(
                    content=Bilingual.of(p["content"]),
                    procedure=tuple(Bilingual.of(x) for x in p["procedure"]),
                    materials=tuple(Bilingual.of(x) for x in p["materials"]),
                    time_limit_days=int(p["time_limit_days"]),
                    fee=Bilingual.of(p["fee"]),
                    fee_basis=Bilingual.of(basis) if basis else None,
                ),
                green_channel=bool(data["green_channel"]),
                waiting=int(data["waiting"]),
                issuing_stopped=bool(data["issuing_stopped"]),
                windows=tuple(int(w) for w in data["windows"]),
                bookable=bool(data.get("bookable", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BadAnswer(f"bad service: {exc}") from exc


@dataclass(frozen=True)
class IssuedTicket:
    id: str
    number: str
    service: str
    priority: str
    issued_at: datetime
    ahead: int
    wait_low: int | None
    wait_high: int | None
    state: str = "waiting"
    wait_about: int | None = None  # nobody ahead: "about N minutes" rather than the range
    window: int | None = None  # the window that called it, once called
    # Issued from the kiosk's lease while the server could not be reached (kiosk/offline.py).
    offline: bool = False

    @property
    def can_be_called(self) -> bool:
        """Still waiting for its call: a receipt for it is worth printing."""
        return self.state == "waiting"

    @property
    def green(self) -> bool:
        return self.priority == "green"

    @property
    def appointment(self) -> bool:
        return self.priority == "appointment"

    @classmethod
    def of(cls, data: models.Ticket) -> IssuedTicket:
        try:
            wait = data.get("estimated_wait")
            number = data["number"]
            ticket_id = data["id"]
            if not isinstance(number, str) or not number or not isinstance(ticket_id, str):
                raise ValueError("no number or id")
            return cls(
                id=ticket_id,
                number=number,
                service=str(data["service"]),
                priority=str(data["priority"]),
                issued_at=datetime.fromisoformat(data["issued_at"]),
                ahead=int(data.get("ahead") or 0),
                wait_low=wait["low_minutes"] if wait else None,
                wait_high=wait["high_minutes"] if wait else None,
                wait_about=wait.get("about_minutes") if wait else None,
                state=str(data.get("state") or "waiting"),
                window=data.get("window"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadAnswer(f"bad ticket: {exc}") from exc


# ----- wording shared by screens and receipts ----------------------------------------------


def wait_text(ticket: IssuedTicket, lang: Lang) -> str:
    if ticket.offline:
        return t("wait_offline", lang)
    if ticket.wait_low is None or ticket.wait_high is None:
        return t("wait_unknown", lang)
    if ticket.wait_about is not None:
        # Nobody ahead: the server read it from the windows, one figure rather than a range.
        return t("wait_about", lang, minutes=ticket.wait_about)
    return t("wait", lang, low=ticket.wait_low, high=ticket.wait_high)


def windows_text(windows: tuple[int, ...], lang: Lang) -> str:
    sep = ", " if lang == "en" else "、"
    if lang == "en":
        return sep.join(str(w) for w in windows) or "—"
    return sep.join(t("window_n", lang, n=w) for w in windows) or "—"


def materials_text(materials: tuple[Bilingual, ...], lang: Lang, shown: int = 3) -> str:
    names = [m.pick(lang) for m in materials[:shown]]
    sep = "; " if lang == "en" else "、"
    text = sep.join(names)
    if len(materials) > shown:
        text += " " + t("more_materials", lang, n=len(materials) - shown)
    return text


def clock_text(now: datetime, lang: Lang) -> str:
    if lang == "en":
        return now.strftime("%a %d %b %Y  %H:%M")
    return f"{now.year}年{now.month}月{now.day}日 {WEEKDAYS_ZH[now.weekday()]}  {now:%H:%M}"


def opening_text(at: datetime, today: datetime, lang: Lang) -> str:
    if at.date() == today.date():
        return f"{at:%H:%M}"
    if lang == "en":
        return at.strftime("%a %d %b %H:%M")
    return f"{at.month}月{at.day}日（{WEEKDAYS_ZH[at.weekday()]}）{at:%H:%M}"


def hall_notice(hall: HallInfo, now: datetime, lang: Lang) -> str | None:
    """A plain sentence when numbers cannot be taken now, else None."""
    if hall.state == "open":
        return None
    key = f"state_{hall.state}"
    nxt = ""
    if hall.next_opening is not None:
        local_now = now.astimezone(hall.zone)
        at = opening_text(hall.next_opening.astimezone(hall.zone), local_now, lang)
        nxt = t("next_opening", lang, at=at)
    try:
        return t(key, lang, next=nxt).strip()
    except KeyError:
        return t("cannot_take_now", lang)
