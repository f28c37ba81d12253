"""The complaint register's states (投诉登记, DOMAIN.md Supervision).

received → with_window (passed to the responsible window with a deadline) → answered (the
complainant has the answer) → closed (supervision decides: upheld or not) → revisited (the
complainant was asked again later). Only a closed complaint carries an outcome, and only an
upheld one costs points.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from queue_server.domain.access import Role
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.errors import IllegalTransition

# A window answers a complaint passed to it within this many working days unless supervision
# sets another deadline (ours: DOMAIN.md gives deadlines but no number for complaints).
DEFAULT_ANSWER_WORKING_DAYS = 5


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    WITH_WINDOW = "with_window"
    ANSWERED = "answered"
    CLOSED = "closed"
    REVISITED = "revisited"


class Channel(StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    LETTER = "letter"


_NEXT = {
    ComplaintStatus.RECEIVED: ComplaintStatus.WITH_WINDOW,
    ComplaintStatus.WITH_WINDOW: ComplaintStatus.ANSWERED,
    ComplaintStatus.ANSWERED: ComplaintStatus.CLOSED,
    ComplaintStatus.CLOSED: ComplaintStatus.REVISITED,
}


def check_step(current: ComplaintStatus, wanted: ComplaintStatus) -> None:
    if _NEXT.get(current) is not wanted:
        expected = _NEXT.get(current)
        after = f"; next is {expected.value}" if expected else "; it is finished"
        raise IllegalTransition(
            f"a complaint that is {current.value} cannot become {wanted.value}{after}"
        )


def default_deadline(calendar: HallCalendar, passed_on: date) -> date:
    return calendar.add_working_days(passed_on, DEFAULT_ANSWER_WORKING_DAYS)


# Not yet answered to the complainant: what the hall still owes, and what can run late.
UNANSWERED = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.WITH_WINDOW})


def is_overdue(status: ComplaintStatus, deadline: date | None, today: date) -> bool:
    """Not yet answered after its deadline."""
    return status in UNANSWERED and deadline is not None and deadline < today


# DOMAIN.md: "the complainant's identity stays confidential". Supervision (督查股) keeps the
# register and sees who complained; the duty lead registers complaints on the floor but
# afterwards sees them masked, like the administrator (who configures, not supervises).
SEES_COMPLAINANT = frozenset({Role.SUPERVISOR})


def may_see_complainant(role: Role | None) -> bool:
    return role in SEES_COMPLAINANT
