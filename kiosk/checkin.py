"""Appointment check-in (预约签到): the server's answer, parsed strictly, and the retries.

The server keys the ticket of a check-in by the booking, so asking again after a timeout or
a lost answer returns the same ticket: the kiosk can retry until it hears back, and still
never shows or prints a number the server did not confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hallq_client import HallqClient, models
from kiosk.model import BadAnswer, IssuedTicket
from kiosk.taking import ask_until_answered

OUTCOMES = ("on_time", "late", "too_early", "early_normal")


@dataclass(frozen=True)
class CheckInQuery:
    code: str | None = None
    phone: str | None = None
    id_number: str | None = None
    normal_if_early: bool = False


@dataclass(frozen=True)
class CheckedIn:
    outcome: str
    service: str
    name: str  # masked by the server
    slot_start: datetime
    slot_end: datetime
    come_back_at: datetime | None
    ticket: IssuedTicket | None
    # The booking had been checked in before: `ticket` is that ticket as it is now.
    replayed: bool = False

    @classmethod
    def of(cls, data: models.CheckIn) -> CheckedIn:
        try:
            outcome = str(data["outcome"])
            if outcome not in OUTCOMES:
                raise ValueError(f"unknown outcome {outcome!r}")
            booking = data["booking"]
            back = data.get("come_back_at")
            given = data.get("ticket")
            ticket = IssuedTicket.of(given) if given else None
            if (ticket is None) != (outcome == "too_early"):
                raise ValueError("a ticket must come with every outcome but too_early")
            return cls(
                outcome=outcome,
                service=str(booking["service"]),
                name=str(booking["name"]),
                slot_start=datetime.fromisoformat(booking["slot_start"]),
                slot_end=datetime.fromisoformat(booking["slot_end"]),
                come_back_at=datetime.fromisoformat(back) if back else None,
                ticket=ticket,
                replayed=bool(data.get("replayed", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadAnswer(f"bad check-in: {exc}") from exc


async def check_in(
    client: HallqClient,
    query: CheckInQuery,
    *,
    retry_every: float,
    on_retry: Callable[[int], None] | None = None,
) -> CheckedIn:
    """The server's confirmed answer; Refused when it says no; retries forever otherwise."""

    async def ask() -> CheckedIn:
        answer = await client.check_in(
            code=query.code,
            phone=query.phone,
            id_number=query.id_number,
            normal_if_early=query.normal_if_early,
        )
        return CheckedIn.of(answer)

    return await ask_until_answered(ask, retry_every=retry_every, on_retry=on_retry)
