"""The complaint register's states (投诉登记, DOMAIN.md Supervision).

received → with_window (passed to the responsible window with a deadline) → answered (the
complainant has the answer) → closed (supervision decides: upheld or not) → revisited (the
complainant was asked again later). Only a closed complaint carries an outcome, and only an
upheld one costs points.
"""

from __future__ import annotations

from enum import StrEnum

from queue_server.domain.access import Role
from queue_server.domain.errors import IllegalTransition


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


# DOMAIN.md: "the complainant's identity stays confidential". Supervision (督查股) keeps the
# register and sees who complained; the duty lead registers complaints on the floor but
# afterwards sees them masked, like the administrator (who configures, not supervises).
SEES_COMPLAINANT = frozenset({Role.SUPERVISOR})


def may_see_complainant(role: Role | None) -> bool:
    return role in SEES_COMPLAINANT
