"""What issuing a ticket reads besides the queue, remembered within one write transaction.

A batch of the hall writer (group commit) or a simulated day issues many tickets in one
transaction; each ticket's estimate read the service's last handling times and open capacity,
and its issue the service's stop flag, again, though nothing in the transaction had changed
them. They change only by what a transaction itself writes, and every such write records an
event: a finish (handling times), a pause, resume, opening, closing or new weights (capacity),
a stop or restart of issuing (the flag). So the memo holds until the transaction appends an
event that may change them (`append_event` calls `forget_after`): every kind but those
known to change none (KEEP_INPUTS); a finish forgets only its service's handling times, and a
window's pause, resume, opening or closing only the capacities.

Another worker's change is seen from this worker's next transaction. On SQLite none can
happen during it (the write lock); on PostgreSQL (read committed) a fresh read would have
seen it from the next statement, a few milliseconds sooner. A stop of issuing that commits
while a batch runs lets that batch's tickets through, as if they had come a moment earlier:
the stop read nothing the batch wrote, so the two still have an order, batch then stop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from sqlalchemy.orm import Session

from queue_server.domain.events import EventKind
from queue_server.services.transaction_memo import transaction_memo

T = TypeVar("T")

_MEMO = "issue_inputs"
# Appending these leaves every remembered input as it was: an issue or a call changes no
# window, stop flag or finished ticket; a recall, a start, a hold, a return or a no-show moves
# only the ticket at a window (a no-show is not a finished ticket, whose times alone are
# handling samples); a rating writes a rating; a kiosk's offline journal adds its tickets as
# issues do (`joined_the_queue`), and a cancellation takes a waiting one off as a call does
# (`left_the_queue`; a cancelled ticket is not a finished one either). In a real hall they
# come between the issues (a window calls, starts and finishes while the kiosks issue), and
# forgetting on each made the next issue read every input again (issue 22). Anything not
# named here forgets, so a new kind is safe by default.
_QUEUE_MOVES = {
    EventKind.TICKET_ISSUED,
    EventKind.TICKET_CALLED,
    EventKind.TICKET_RECALLED,
    EventKind.TICKET_STARTED,
    EventKind.TICKET_HELD,
    EventKind.TICKET_RETURNED,
    EventKind.TICKET_NO_SHOW,
    EventKind.RATING_GIVEN,
    EventKind.KIOSK_JOURNAL_UPLOADED,
    EventKind.TICKET_CANCELLED,
}
# Neither do these, whose transactions write no ticket, window, service or weight at all (each
# read in its service): a booking (the ticket of a check-in is issued, and counted, by its own
# issue), the visitors' complaints and follow-ups, a concluded promised case or a notice of
# missing materials, the floor's notes, announcements and acknowledged alerts, a device's
# status or call for help, a kiosk's block of numbers taken or given back. Online bookings, the
# kiosks' status and their blocks come all day long, between the issues.
_BESIDE_THE_QUEUE = {
    EventKind.BOOKING_CREATED,
    EventKind.BOOKING_CONFIRMED,
    EventKind.BOOKING_CANCELLED,
    EventKind.BOOKING_EXPIRED,
    EventKind.BOOKING_CHECKED_IN,
    EventKind.BOOKING_NO_SHOW,
    EventKind.COMPLAINT_REGISTERED,
    EventKind.COMPLAINT_PASSED,
    EventKind.COMPLAINT_ANSWERED,
    EventKind.COMPLAINT_CLOSED,
    EventKind.COMPLAINT_REVISITED,
    EventKind.FOLLOW_UP_CONTACTED,
    EventKind.FOLLOW_UP_FIXED,
    EventKind.FOLLOW_UP_CLOSED,
    EventKind.CASE_CONCLUDED,
    EventKind.TICKET_NOTICE_GIVEN,
    EventKind.DUTY_LOG_WRITTEN,
    EventKind.HALL_ANNOUNCEMENT,
    EventKind.ALERT_ACKNOWLEDGED,
    EventKind.DEVICE_STATUS,
    EventKind.HELP_REQUESTED,
    EventKind.LEASE_GRANTED,
    EventKind.LEASE_RELEASED,
    # A sign-in or a sign-out writes the window's attendance, which no issue reads: whether a
    # window is open or paused, and its weights, are the window's own rows.
    EventKind.CLERK_SIGNED_IN,
    EventKind.CLERK_SIGNED_OUT,
}
KEEP_INPUTS = frozenset(kind.value for kind in _QUEUE_MOVES | _BESIDE_THE_QUEUE)
# A finish adds a sample to its own service's handling times, and changes no other input: in a
# hall whose windows finish between the kiosks' tickets, forgetting every service's times on
# each finish made most issues read theirs again.
FORGETS_HANDLING_ONLY = frozenset({EventKind.TICKET_FINISHED.value})
# A window that pauses, resumes, opens or closes changes the open capacity of the services it
# serves and nothing else an issue reads: each refuses a window with a ticket at it, so no
# ticket moves or finishes, and no stop flag changes. A window's clerk pauses and resumes it
# several times a day and signs in and out twice: forgetting everything on each made the next
# issue read the stop flag and the handling times again and count its whole queue (issue 22).
FORGETS_CAPACITY_ONLY = frozenset(
    kind.value
    for kind in (
        EventKind.WINDOW_PAUSED,
        EventKind.WINDOW_RESUMED,
        EventKind.WINDOW_OPENED,
        EventKind.WINDOW_CLOSED,
    )
)


# (what, hall, service): "stopped", "handling" or "capacity" of one service of a hall.
InputKey = tuple[str, str, str]


def remembered(session: Session, key: InputKey, read: Callable[[], T]) -> T:
    """`read()`, or what it gave earlier in this transaction under `key`."""
    memo = issue_inputs_memo(session)
    if key in memo:
        return cast(T, memo[key])
    value = read()
    memo[key] = value
    return value


def issue_inputs_memo(session: Session) -> dict[InputKey, object]:
    """The memo itself (carried_inputs.py hands it from one transaction to the next)."""
    return cast(dict[InputKey, object], transaction_memo(session, _MEMO))


def forget_issue_inputs(session: Session) -> None:
    transaction_memo(session, _MEMO).clear()


def forget_after(session: Session, kind: str, hall_id: str, service: str | None) -> None:
    """What appending an event of `kind` may have changed (KEEP_INPUTS changes none);
    `service`: the service of the event's ticket, if it has one."""
    forget_in(issue_inputs_memo(session), kind, hall_id, service)


def forget_in(memo: dict[InputKey, object], kind: str, hall_id: str, service: str | None) -> None:
    """`forget_after` on a memo itself (also one carried past another worker's events)."""
    if kind in KEEP_INPUTS:
        return
    if kind in FORGETS_HANDLING_ONLY:
        if service is not None:
            memo.pop(("handling", hall_id, service), None)
            return
        for key in [key for key in memo if key[0] == "handling"]:
            del memo[key]
        return
    if kind in FORGETS_CAPACITY_ONLY:
        # Every service of the hall: which ones the window serves is not at hand here.
        for key in [key for key in memo if key[0] == "capacity" and key[1] == hall_id]:
            del memo[key]
        return
    memo.clear()


# The untargeted waiting tickets of a service, as the transaction's last issue counted them
# (queries.count_ahead, for a ticket just inserted): the next ticket of the batch is told
# that count plus itself, and the database counts only those behind it instead of the whole
# queue, which costs a read of every waiting ticket (issue 22). An issue adds its ticket, and
# a kiosk's offline ticket is added where it is written (`joined_the_queue`); a transfer
# appends an event of its own and `append_event` forgets the counts (a rollback forgets them
# too); a call or a cancellation keeps them less its ticket (`left_the_queue`), and moves at
# a window and the kinds beside the queue change none (KEEP_QUEUE_SIZES). On
# PostgreSQL no other transaction changes the hall's queue meanwhile: it would have to hold
# the hall, which this transaction holds (hall_lock.hold_hall).
_QUEUE_SIZES = "queue_sizes"


def queue_sizes(session: Session) -> dict[tuple[str, str], int]:
    """(hall, service) -> untargeted waiting tickets, kept within one write transaction."""
    return cast(dict[tuple[str, str], int], transaction_memo(session, _QUEUE_SIZES))


# Appending these leaves every service's queue of waiting tickets as it was, or as the
# transaction itself kept it: every kind that keeps the issuing inputs, a finish and a change
# of a window's state (an issue adds its ticket, queries.count_ahead; a call takes its ticket
# off, queries.claim_and_call; the others move a ticket at a window, write a rating or change
# no ticket).
KEEP_QUEUE_SIZES = KEEP_INPUTS | FORGETS_HANDLING_ONLY | FORGETS_CAPACITY_ONLY


def forget_queue_sizes(session: Session) -> None:
    transaction_memo(session, _QUEUE_SIZES).clear()


def forget_queue_sizes_after(session: Session, kind: str) -> None:
    if kind not in KEEP_QUEUE_SIZES:
        forget_queue_sizes(session)


def joined_the_queue(session: Session, hall_id: str, service: str) -> None:
    """A waiting untargeted ticket of the service was written other than by an issue, which
    counts its own (queries.count_ahead): one more in its queue (a kiosk's offline ticket)."""
    sizes = queue_sizes(session)
    key = (hall_id, service)
    if key in sizes:
        sizes[key] += 1


def left_the_queue(session: Session, hall_id: str, service: str) -> None:
    """A waiting untargeted ticket of the service was called or cancelled: one fewer in its
    queue."""
    sizes = queue_sizes(session)
    key = (hall_id, service)
    if key in sizes:
        sizes[key] -= 1
