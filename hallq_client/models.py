"""What the server answers, as the kiosk, the clerk console, the window display and the
simulator read it: one TypedDict per response body of the routes HallqClient calls.

Kept by hand and checked against the server's /openapi.json (fields, required-ness, types) by
tests/api/test_client_models_match_the_openapi.py: a renamed field fails CI, not the hall.
Instants and dates arrive as ISO text.
"""

from typing import Literal, NotRequired, TypedDict


class Text(TypedDict):
    zh: str
    en: str | None


class Hall(TypedDict):
    id: str
    name: Text
    timezone: str
    open_now: bool
    state: str
    next_opening: str | None


class Publics(TypedDict):
    content: Text
    procedure: list[Text]
    materials: list[Text]
    time_limit_days: int
    fee: Text
    fee_basis: Text | None


class Service(TypedDict):
    code: str
    name: Text
    category: Text | None
    prefix: str
    publics: Publics
    daily_cap: int | None
    green_channel: bool
    waiting: int
    issuing_stopped: bool
    windows: list[int]
    bookable: NotRequired[bool]


class Wait(TypedDict):
    low_minutes: int | None
    high_minutes: int | None
    about_minutes: NotRequired[int | None]
    text: str
    basis: str


class Ticket(TypedDict):
    id: str
    hall: str
    number: str
    service: str
    priority: str
    state: str
    recall_count: int
    issued_at: str
    called_at: str | None
    started_at: str | None
    finished_at: str | None
    window: int | None
    case_type: str | None
    deadline: str | None
    transferred_from: str | None
    transferred_to: str | None
    target_window: int | None
    ahead: int | None
    estimated_wait: Wait | None


class Clerk(TypedDict):
    name: str
    staff_no: str


class Window(TypedDict):
    number: int
    name: str
    state: str
    is_open: bool
    paused: bool
    pause_reason: str | None
    paused_at: str | None
    services: dict[str, int]
    current: Ticket | None
    clerk: NotRequired[Clerk | None]


class Queue(TypedDict):
    service: str
    waiting: int
    issuing_stopped: bool


class Snapshot(TypedDict):
    hall: str
    last_seq: int
    at: str
    hall_state: str
    windows: list[Window]
    queues: list[Queue]
    waiting: list[Ticket]


class Handover(TypedDict):
    note: str | None


class WindowState(TypedDict):
    window: int
    paused: bool


class Recorded(TypedDict):
    recorded: bool
    seq: int | None
    at: str | None


class User(TypedDict):
    hall: str
    staff_no: str
    name: str
    role: str


class Login(TypedDict):
    token: str
    token_type: NotRequired[Literal["bearer"]]
    expires_at: str
    user: User


class Principal(TypedDict):
    kind: Literal["staff", "device"]
    hall: str
    name: str
    role: NotRequired[str | None]
    staff_no: NotRequired[str | None]
    device_kind: NotRequired[str | None]
    window: NotRequired[int | None]


class SignIn(TypedDict):
    hall: str
    window: int
    staff_no: str
    name: str
    signed_in_at: str
    attendance: str
    minutes_late: int
    signed_out_at: str | None
    sign_out_attendance: str | None
    minutes_early: int


class WindowDay(TypedDict):
    window: int
    day: str
    called: int
    finished: int
    no_show: int
    transferred: int
    by_case_type: dict[str, int]
    average_handling_seconds: int | None
    pause_reason: NotRequired[str | None]
    pause_note: NotRequired[str | None]


class Notice(TypedDict):
    registration_no: str
    ticket: str
    number: str
    service: str
    window: int
    materials: list[str]
    note: str | None
    issued_on: str


class Deadline(TypedDict):
    service: str
    deadline: str


Level = Literal[
    "very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"
]


class LevelOption(TypedDict):
    code: Level
    text: Text
    reasons_allowed: bool
    bad: bool


class RatingOptions(TypedDict):
    levels: list[LevelOption]
    reasons: dict[str, Text]


class RatingRecorded(TypedDict):
    recorded: NotRequired[bool]
    follow_up: bool
    follow_up_deadline: str | None


class Slot(TypedDict):
    service: str
    start: str
    end: str
    capacity: int
    free: int


class Booking(TypedDict):
    code: str
    hall: str
    service: str
    day: str
    slot_start: str
    slot_end: str
    state: str
    name: str
    phone: str
    id_number: str
    arrival: str | None
    awaiting_sms_code: NotRequired[bool]
    hold_until: NotRequired[str | None]


class CheckIn(TypedDict):
    outcome: Literal["on_time", "late", "too_early", "early_normal"]
    booking: Booking
    ticket: Ticket | None
    window_opens: str
    window_closes: str
    come_back_at: str | None
    replayed: bool


class CardOffer(TypedDict):
    service: str
    priority: Literal["green", "normal"]


class CardPresented(TypedDict):
    outcome: Literal["check_in", "choose", "taken"]
    check_in: NotRequired[CheckIn | None]
    offers: list[CardOffer]
    tickets: list[Ticket]
    green_by_age: bool


class CardIssued(TypedDict):
    outcome: Literal["issued", "taken"]
    ticket: Ticket | None
    replayed: bool
    tickets: list[Ticket]


class OpenCase(TypedDict):
    ticket_id: str
    number: str
    service: str
    finished_on: str
    deadline: str
    working_days_left: int
    overdue: bool


class Conclusion(TypedDict):
    ticket_id: str
    number: str
    window: int
    deadline: str
    concluded_on: str
    overdue_working_days: int
