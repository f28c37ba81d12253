"""The event catalogue: every kind the hall's log holds, and what each one's payload carries.

The log is the system's contract (ARCHITECTURE.md): the month's measures, the live stream,
the window display, the board and the audit all read it. A kind is written only from this
list (`append_event` refuses any other before it writes), and each has one payload type.
The board (queue_server/web/board/event_kinds.js) and the apps (hallq_client/event_kinds.py)
get generated copies: `python scripts/export_event_kinds.py`.

Payloads are public and hash-chained: ids, numbers and states, never a visitor's personal
data (a clerk's free text is masked before it is written).
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class EventKind(StrEnum):
    # tickets (services/issuing.py, calling.py, window_moves.py, window_desk.py)
    TICKET_ISSUED = "ticket.issued"
    TICKET_CALLED = "ticket.called"
    TICKET_RECALLED = "ticket.recalled"
    TICKET_STARTED = "ticket.started"
    TICKET_HELD = "ticket.held"
    TICKET_RETURNED = "ticket.returned"
    TICKET_FINISHED = "ticket.finished"
    TICKET_NO_SHOW = "ticket.no_show"
    TICKET_CANCELLED = "ticket.cancelled"
    TICKET_TRANSFERRED = "ticket.transferred"
    TICKET_NOTICE_GIVEN = "ticket.notice_given"
    CASE_CONCLUDED = "case.concluded"
    # clerks and windows (services/attendance.py, accounts.py, window_pauses.py, floor_actions.py)
    CLERK_SIGNED_IN = "clerk.signed_in"
    CLERK_SIGNED_OUT = "clerk.signed_out"
    WINDOW_PAUSED = "window.paused"
    WINDOW_RESUMED = "window.resumed"
    WINDOW_OPENED = "window.opened"
    WINDOW_CLOSED = "window.closed"
    WINDOW_SERVICES_CHANGED = "window.services_changed"
    WINDOW_BACKUP_COVER = "window.backup_cover"
    # the floor (services/floor_actions.py, halls.py, duty_log.py, alerts.py)
    SERVICE_ISSUING_STOPPED = "service.issuing_stopped"
    SERVICE_ISSUING_RESUMED = "service.issuing_resumed"
    HALL_ANNOUNCEMENT = "hall.announcement"
    HALL_CONFIG_APPLIED = "hall.config_applied"
    DUTY_LOG_WRITTEN = "duty_log.written"
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    # devices (services/devices.py)
    HELP_REQUESTED = "help.requested"
    DEVICE_STATUS = "device.status"
    # kiosks cut off from the server (services/leases.py)
    LEASE_GRANTED = "lease.granted"
    LEASE_RELEASED = "lease.released"
    KIOSK_JOURNAL_UPLOADED = "kiosk.journal_uploaded"
    # visitors' voice (services/ratings.py, complaints.py, follow_ups.py)
    RATING_GIVEN = "rating.given"
    COMPLAINT_REGISTERED = "complaint.registered"
    COMPLAINT_PASSED = "complaint.passed"
    COMPLAINT_ANSWERED = "complaint.answered"
    COMPLAINT_CLOSED = "complaint.closed"
    COMPLAINT_REVISITED = "complaint.revisited"
    FOLLOW_UP_CONTACTED = "follow_up.contacted"
    FOLLOW_UP_FIXED = "follow_up.fixed"
    FOLLOW_UP_CLOSED = "follow_up.closed"
    # bookings (services/bookings/service.py)
    BOOKING_CREATED = "booking.created"
    BOOKING_CONFIRMED = "booking.confirmed"
    BOOKING_CANCELLED = "booking.cancelled"
    BOOKING_EXPIRED = "booking.expired"
    BOOKING_CHECKED_IN = "booking.checked_in"
    BOOKING_NO_SHOW = "booking.no_show"
    # the assessment (services/assessment.py, manual_entries.py) and the log's upkeep
    ASSESSMENT_MONTH_RUN = "assessment.month_run"
    ASSESSMENT_MONTH_CLOSED = "assessment.month_closed"
    ASSESSMENT_ENTRY_ADDED = "assessment.entry_added"
    ASSESSMENT_ENTRY_REVERSED = "assessment.entry_reversed"
    RETENTION_PURGED = "retention.purged"


class UnknownEventKind(ValueError):
    """A kind the catalogue does not have: a typo would drop events from every reader."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown event kind {kind!r} (queue_server/domain/events.py)")
        self.kind = kind


_BY_VALUE: dict[str, EventKind] = {k.value: k for k in EventKind}


def event_kind(kind: str) -> EventKind:
    """The catalogue's kind for `kind`, or UnknownEventKind."""
    found = _BY_VALUE.get(str(kind))
    if found is None:
        raise UnknownEventKind(str(kind))
    return found


# ----- payloads ------------------------------------------------------------------------------


class TicketIssued(TypedDict):
    number: str
    service: str
    priority: str
    # The wait told to the visitor: [low, high] minutes, and one figure when nobody was ahead.
    estimate: NotRequired[list[int] | None]
    about: NotRequired[int]
    # A calibrated range (people ahead): how many, and the midpoint before calibration
    # (domain/estimate_calibration.py fits the next calibration on these).
    ahead: NotRequired[int]
    midpoint: NotRequired[float]
    # A number issued by a kiosk cut off from the server, entered when its journal came in.
    offline: NotRequired[bool]
    device: NotRequired[str]
    issued_at: NotRequired[str]
    kiosk_issued_at: NotRequired[str]
    uploaded_at: NotRequired[str]


class TicketCalled(TypedDict):
    number: str
    service: str
    priority: str
    window_name: str
    waited_seconds: int
    out_of_order: NotRequired[bool]
    reason: NotRequired[str]


class TicketRecalled(TypedDict):
    number: str
    service: str
    recall_count: int
    max_recalls: int


class TicketStarted(TypedDict):
    number: str
    service: str


class TicketHeld(TypedDict):
    number: str
    service: str
    note: NotRequired[str]


class TicketReturned(TypedDict):
    number: str
    held_seconds: int


class TicketFinished(TypedDict):
    number: str
    service: str
    case_type: str
    handling_seconds: int
    deadline: NotRequired[str]  # ISO date, a promised case (承诺件)


class TicketNoShow(TypedDict):
    number: str
    service: NotRequired[str]  # marked by the clerk
    reason: NotRequired[str]  # marked after the last recall


class TicketCancelled(TypedDict):
    number: str
    reason: str | None


class TicketTransferred(TypedDict):
    number: str
    from_service: str
    to_service: str
    to_window: int | None
    new_ticket: str
    note: str | None


class TicketNoticeGiven(TypedDict):
    number: str
    service: str
    materials: list[str]
    note: str | None
    registration_no: str


class CaseConcluded(TypedDict):
    concluded_on: str  # ISO date


class ClerkSignedIn(TypedDict):
    name: str
    staff_no: str
    attendance: str
    minutes_late: int


class ClerkSignedOut(TypedDict):
    name: str
    staff_no: str
    signed_in_seconds: int
    attendance: NotRequired[str]
    minutes_early: NotRequired[int]
    reason: NotRequired[str]  # "account_disabled": signed out by the account's end


class WindowPaused(TypedDict):
    reason: str | None
    note: NotRequired[str | None]


class WindowResumed(TypedDict):
    reason: str | None
    paused_seconds: int


class WindowOpened(TypedDict):
    pass


class WindowClosed(TypedDict):
    reason: NotRequired[str]


class WindowServicesChanged(TypedDict):
    services: dict[str, int]  # service code -> weight
    was: dict[str, int]


class WindowBackupCover(TypedDict):
    cover: str
    absent: int
    backup: int
    minutes: int
    until: str  # ISO instant


class IssuingChanged(TypedDict):
    service: str
    reason: NotRequired[str]


class HallAnnouncement(TypedDict):
    id: str
    text: str
    until: str  # ISO instant


class HallConfigApplied(TypedDict):
    digest: str
    was: str
    changes: list[dict[str, Any]]
    kept_today: list[str]


class DutyLogWritten(TypedDict):
    entry: str
    kind: str


class AlertAcknowledged(TypedDict):
    alert: str
    rule: str


class HelpRequested(TypedDict):
    request_id: NotRequired[str]
    screen: NotRequired[str]
    lang: NotRequired[str]
    ticket: NotRequired[str]


class PrinterReport(TypedDict):
    state: str
    detail: str | None


class LeaseGranted(TypedDict):
    lease: str
    service: str
    first: str
    last: str
    size: int


class LeaseReleased(TypedDict):
    lease: str
    service: str


class JournalRefusal(TypedDict):
    key: str
    number: str | None
    code: str | None


class JournalUploaded(TypedDict):
    device: str
    entries: int
    new: int
    # Entries the server could not take, each with its reason's code; the others went in.
    refused: NotRequired[list[JournalRefusal]]


class OfflineJournalReport(TypedDict):
    pending: int  # tickets issued offline the server has not reconciled yet, refused aside
    refused: NotRequired[int]  # today's entries the server refused (absent before: 0)
    since: str | None  # ISO time the kiosk lost the server (None: it has not)


class DeviceStatus(TypedDict):
    kind: str
    printer: NotRequired[PrinterReport]
    printer_was: NotRequired[str | None]
    fault: NotRequired[str]
    ticket: NotRequired[str]
    offline: NotRequired[OfflineJournalReport]


class RatingGiven(TypedDict):
    rating: str


class ComplaintRegistered(TypedDict):
    complaint: str
    channel: str


class ComplaintStep(TypedDict):
    complaint: str
    status: str


class FollowUpStep(TypedDict):
    follow_up: str


class BookingStep(TypedDict):
    booking: str
    service: str
    slot: str  # ISO instant


class BookingCheckedIn(BookingStep):
    arrival: str


class AssessmentMonth(TypedDict):
    month: str  # YYYY-MM
    runs: int


class EntryAdded(TypedDict):
    entry: str


class EntryReversed(TypedDict):
    entry: str
    reverses: str


class RetentionPurged(TypedDict):
    rows: dict[str, int]  # "table.column" -> rows deleted or cleared
    days: dict[str, int]


PAYLOADS: dict[EventKind, type] = {
    EventKind.TICKET_ISSUED: TicketIssued,
    EventKind.TICKET_CALLED: TicketCalled,
    EventKind.TICKET_RECALLED: TicketRecalled,
    EventKind.TICKET_STARTED: TicketStarted,
    EventKind.TICKET_HELD: TicketHeld,
    EventKind.TICKET_RETURNED: TicketReturned,
    EventKind.TICKET_FINISHED: TicketFinished,
    EventKind.TICKET_NO_SHOW: TicketNoShow,
    EventKind.TICKET_CANCELLED: TicketCancelled,
    EventKind.TICKET_TRANSFERRED: TicketTransferred,
    EventKind.TICKET_NOTICE_GIVEN: TicketNoticeGiven,
    EventKind.CASE_CONCLUDED: CaseConcluded,
    EventKind.CLERK_SIGNED_IN: ClerkSignedIn,
    EventKind.CLERK_SIGNED_OUT: ClerkSignedOut,
    EventKind.WINDOW_PAUSED: WindowPaused,
    EventKind.WINDOW_RESUMED: WindowResumed,
    EventKind.WINDOW_OPENED: WindowOpened,
    EventKind.WINDOW_CLOSED: WindowClosed,
    EventKind.WINDOW_SERVICES_CHANGED: WindowServicesChanged,
    EventKind.WINDOW_BACKUP_COVER: WindowBackupCover,
    EventKind.SERVICE_ISSUING_STOPPED: IssuingChanged,
    EventKind.SERVICE_ISSUING_RESUMED: IssuingChanged,
    EventKind.HALL_ANNOUNCEMENT: HallAnnouncement,
    EventKind.HALL_CONFIG_APPLIED: HallConfigApplied,
    EventKind.DUTY_LOG_WRITTEN: DutyLogWritten,
    EventKind.ALERT_ACKNOWLEDGED: AlertAcknowledged,
    EventKind.HELP_REQUESTED: HelpRequested,
    EventKind.DEVICE_STATUS: DeviceStatus,
    EventKind.LEASE_GRANTED: LeaseGranted,
    EventKind.LEASE_RELEASED: LeaseReleased,
    EventKind.KIOSK_JOURNAL_UPLOADED: JournalUploaded,
    EventKind.RATING_GIVEN: RatingGiven,
    EventKind.COMPLAINT_REGISTERED: ComplaintRegistered,
    EventKind.COMPLAINT_PASSED: ComplaintStep,
    EventKind.COMPLAINT_ANSWERED: ComplaintStep,
    EventKind.COMPLAINT_CLOSED: ComplaintStep,
    EventKind.COMPLAINT_REVISITED: ComplaintStep,
    EventKind.FOLLOW_UP_CONTACTED: FollowUpStep,
    EventKind.FOLLOW_UP_FIXED: FollowUpStep,
    EventKind.FOLLOW_UP_CLOSED: FollowUpStep,
    EventKind.BOOKING_CREATED: BookingStep,
    EventKind.BOOKING_CONFIRMED: BookingStep,
    EventKind.BOOKING_CANCELLED: BookingStep,
    EventKind.BOOKING_EXPIRED: BookingStep,
    EventKind.BOOKING_CHECKED_IN: BookingCheckedIn,
    EventKind.BOOKING_NO_SHOW: BookingStep,
    EventKind.ASSESSMENT_MONTH_RUN: AssessmentMonth,
    EventKind.ASSESSMENT_MONTH_CLOSED: AssessmentMonth,
    EventKind.ASSESSMENT_ENTRY_ADDED: EntryAdded,
    EventKind.ASSESSMENT_ENTRY_REVERSED: EntryReversed,
    EventKind.RETENTION_PURGED: RetentionPurged,
}


def payload_fields(kind: EventKind) -> tuple[frozenset[str], frozenset[str]]:
    """(required, optional) fields of a kind's payload."""
    typed: Any = PAYLOADS[kind]
    return frozenset(typed.__required_keys__), frozenset(typed.__optional_keys__)


class IncompletePayload(ValueError):
    """A payload without a field its kind's type requires: every reader of the log (the
    month's measures, the stream, the board) would meet the gap later, far from the writer."""

    def __init__(self, kind: EventKind, missing: frozenset[str]) -> None:
        names = ", ".join(sorted(missing))
        super().__init__(
            f"{kind.value} payload lacks {names} "
            f"({PAYLOADS[kind].__name__} in queue_server/domain/events.py requires it)"
        )
        self.kind = kind
        self.missing = missing


_REQUIRED: dict[EventKind, frozenset[str]] = {k: payload_fields(k)[0] for k in EventKind}


def check_payload(kind: EventKind, payload: Mapping[str, object]) -> None:
    """Raises IncompletePayload when `payload` lacks a key its kind's TypedDict requires.
    A set difference per append: keys only, not the values' types (mypy checks those where
    the payload is written as a literal)."""
    missing = _REQUIRED[kind] - payload.keys()
    if missing:
        raise IncompletePayload(kind, frozenset(missing))
