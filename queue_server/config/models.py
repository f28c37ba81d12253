"""The shape of a hall's TOML configuration, with DOMAIN.md's numbers as defaults.

Unknown keys are refused so that a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from queue_server.config.assessment import AssessmentSection
from queue_server.config.haocha import HaochaSection, check_items
from queue_server.config.national_calendar import national_days
from queue_server.domain.alerts import Thresholds
from queue_server.domain.appointments import AppointmentRules
from queue_server.domain.calendar import END_OF_DAY, HallCalendar
from queue_server.domain.call_policy import CallPolicy
from queue_server.domain.id_card import IdCardRules
from queue_server.domain.retention import RetentionPeriods

_PREFIX = re.compile(r"^[A-Z]{1,2}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in Mandarin, with English where the hall has it."""

    zh: Annotated[str, Field(min_length=1)]
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


def parse_clock(value: str) -> time:
    if value == "24:00":
        return END_OF_DAY
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", value)
    if not match:
        raise ValueError(f"{value!r} is not a time of day like 09:00")
    return time(int(match.group(1)), int(match.group(2)))


class HallSection(Strict):
    id: Annotated[str, Field(pattern=_CODE.pattern)]
    name: Text
    timezone: str = "Asia/Shanghai"
    # DOMAIN.md: 09:00-12:00 and 14:00-18:00 on working days.
    sessions: list[tuple[str, str]] = [("09:00", "12:00"), ("14:00", "18:00")]
    working_weekdays: list[Annotated[int, Field(ge=1, le=7)]] = [1, 2, 3, 4, 5]
    # "CN": China's statutory holidays and make-up working days (调休) from the `holidays`
    # library (queue_server/config/national_calendar.py); "none": the hall lists every day.
    national_calendar: Literal["CN", "none"] = "CN"
    # The hall's own closed days on top of the national calendar (a local holiday, a move).
    holidays: list[date] = []
    # The hall's own open days: a national holiday it opens on, or a make-up working day of a
    # year whose arrangement the library does not carry yet.
    makeup_working_days: list[date] = []
    # Years whose arrangement the hall has entered itself above (docs/calendar.md).
    calendar_confirmed_years: list[Annotated[int, Field(ge=2000, le=2100)]] = []
    issue_cutoff_minutes: Annotated[int, Field(ge=0, le=600)] = 30
    # A sign-in up to this many minutes after its session began is on time (DOMAIN.md, 勤:
    # late costs points). 1: clocks differ by seconds, the regulation counts minutes; a hall
    # whose own rules give a grace period sets it here.
    late_after_minutes: Annotated[int, Field(ge=1, le=120)] = 1
    public_url: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Shanghai)"
            ) from None
        return value

    @field_validator("sessions")
    @classmethod
    def _ordered_sessions(cls, value: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if not value:
            raise ValueError("at least one opening session is needed")
        previous_end: time | None = None
        for start_text, end_text in value:
            start, end = parse_clock(start_text), parse_clock(end_text)
            if end <= start:
                raise ValueError(f"session {start_text}-{end_text} ends before it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError(f"session {start_text}-{end_text} overlaps the one before it")
            previous_end = end
        return value

    @model_validator(mode="after")
    def _days_not_both(self) -> Self:
        both = sorted(set(self.holidays) & set(self.makeup_working_days))
        if both:
            raise ValueError(f"{both[0].isoformat()} is in both holidays and makeup_working_days")
        return self

    def calendar(self) -> HallCalendar:
        closed, open_days = frozenset(self.holidays), frozenset(self.makeup_working_days)
        national = national_days(self.national_calendar)
        confirmed: frozenset[int] | None = None
        if national is not None:
            # The hall's own days win over the national table, in both directions.
            closed = (national.holidays - open_days) | closed
            open_days = (national.makeup_working_days - closed) | open_days
            confirmed = national.official_years | frozenset(self.calendar_confirmed_years)
        return HallCalendar(
            timezone=self.timezone,
            sessions=tuple((parse_clock(s), parse_clock(e)) for s, e in self.sessions),
            working_weekdays=frozenset(self.working_weekdays),
            holidays=closed,
            makeup_working_days=open_days,
            confirmed_years=confirmed,
            issue_cutoff_minutes=self.issue_cutoff_minutes,
        )


class CallPolicySection(Strict):
    guard_minutes: Annotated[int, Field(ge=1, le=480)] = 20
    priority_ratio: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]] | None = None
    max_recalls: Annotated[int, Field(ge=0, le=10)] = 3
    target_wait_minutes: Annotated[int, Field(ge=1, le=480)] = 30

    def policy(self) -> CallPolicy:
        return CallPolicy(guard_minutes=self.guard_minutes, priority_ratio=self.priority_ratio)


class RatingSection(Strict):
    """好差评: a bad rating opens a follow-up due this many working days later."""

    follow_up_working_days: Annotated[int, Field(ge=1, le=60)] = 5
    # The window display takes a rating for the case just finished, this long after it.
    accept_minutes: Annotated[int, Field(ge=1, le=120)] = 10


class FloorSection(Strict):
    """The duty lead's floor monitor: alert thresholds and colours (docs/floor-monitor.md)."""

    queue_over: Annotated[int, Field(ge=1, le=1000)] = 15  # alert when more wait for a service
    unattended_grace_minutes: Annotated[int, Field(ge=0, le=120)] = 5
    # Per pause reason; a pause longer than this raises an alert.
    pause_limit_minutes: dict[str, Annotated[int, Field(ge=1, le=600)]] = {
        "break": 15,
        "meeting": 60,
        "backup_cover": 120,
        "training": 120,
        "other": 30,
    }
    device_offline_seconds: Annotated[int, Field(ge=30, le=3600)] = 150
    due_within_working_days: Annotated[int, Field(ge=0, le=30)] = 1
    service_level_target: Annotated[float, Field(gt=0, le=1)] = 0.8
    wait_warn_share: Annotated[float, Field(gt=0, le=1)] = 0.75  # amber from this share of target
    tick_seconds: Annotated[float, Field(ge=0.2, le=300)] = 5
    cover_min_minutes: Annotated[int, Field(ge=1, le=480)] = 30
    cover_max_minutes: Annotated[int, Field(ge=1, le=480)] = 120

    @model_validator(mode="after")
    def _cover_range(self) -> Self:
        if self.cover_min_minutes > self.cover_max_minutes:
            raise ValueError("cover_min_minutes must not be more than cover_max_minutes")
        return self

    def thresholds(self) -> Thresholds:
        return Thresholds(
            queue_over=self.queue_over,
            unattended_grace_minutes=self.unattended_grace_minutes,
            pause_limit_minutes=dict(self.pause_limit_minutes),
            device_offline_seconds=self.device_offline_seconds,
            due_within_working_days=self.due_within_working_days,
        )


class RetentionSection(Strict):
    """Days personal data is kept before `hallq retention purge` clears it (docs/deploy.md)."""

    booking_days: Annotated[int, Field(ge=1, le=3650)] = 90
    visit_days: Annotated[int, Field(ge=1, le=3650)] = 30
    complaint_days: Annotated[int, Field(ge=1, le=3650)] = 365

    def periods(self) -> RetentionPeriods:
        return RetentionPeriods(
            booking_days=self.booking_days,
            visit_days=self.visit_days,
            complaint_days=self.complaint_days,
        )


class AppointmentsSection(Strict):
    """预约: online bookings become priority tickets at check-in (docs/appointments.md)."""

    slot_minutes: Annotated[int, Field(ge=5, le=480)] = 60
    horizon_working_days: Annotated[int, Field(ge=1, le=60)] = 5
    cancel_before_minutes: Annotated[int, Field(ge=0, le=10080)] = 120
    bookings_per_person_per_day: Annotated[int, Field(ge=1, le=10)] = 1
    arrive_early_minutes: Annotated[int, Field(ge=0, le=240)] = 30
    arrive_late_minutes: Annotated[int, Field(ge=0, le=240)] = 15
    # Credit rule: this many no-shows within the window bar bookings for banned_days.
    no_show_limit: Annotated[int, Field(ge=1, le=100)] = 3
    no_show_window_days: Annotated[int, Field(ge=1, le=3650)] = 180
    banned_days: Annotated[int, Field(ge=0, le=3650)] = 30
    # Reminder webhook when a checked-in visitor has this many people or fewer ahead.
    remind_places: Annotated[int, Field(ge=0, le=100)] = 3
    webhook_url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    webhook_secret_file: str | None = None
    # Optional SMS check of the phone (docs/appointments.md): an online booking is held, its
    # place reserved, until the visitor types the code the webhook sent to the phone; a hold
    # not confirmed within verify_minutes expires and frees the place.
    verify_by_sms: bool = False
    verify_minutes: Annotated[int, Field(ge=1, le=120)] = 10
    verify_attempts: Annotated[int, Field(ge=1, le=20)] = 5

    @model_validator(mode="after")
    def _signed_webhooks(self) -> Self:
        if self.webhook_url is not None and self.webhook_secret_file is None:
            raise ValueError("webhook_url needs webhook_secret_file: every webhook is signed")
        if self.verify_by_sms and self.webhook_url is None:
            raise ValueError("verify_by_sms needs webhook_url: the code is sent through it")
        return self

    def rules(self) -> AppointmentRules:
        return AppointmentRules(
            slot_minutes=self.slot_minutes,
            horizon_working_days=self.horizon_working_days,
            cancel_before_minutes=self.cancel_before_minutes,
            bookings_per_person_per_day=self.bookings_per_person_per_day,
            arrive_early_minutes=self.arrive_early_minutes,
            arrive_late_minutes=self.arrive_late_minutes,
            no_show_limit=self.no_show_limit,
            no_show_window_days=self.no_show_window_days,
            banned_days=self.banned_days,
            remind_places=self.remind_places,
            verify_by_sms=self.verify_by_sms,
            verify_minutes=self.verify_minutes,
            verify_attempts=self.verify_attempts,
        )


class IdCardSection(Strict):
    """刷身份证取号: priority by age from the card's birth date, a per-person daily limit."""

    green_channel_age: Annotated[int, Field(ge=0, le=150)] | None = 70
    tickets_per_person_per_day: Annotated[int, Field(ge=1, le=20)] = 1

    def rules(self) -> IdCardRules:
        return IdCardRules(
            green_channel_age=self.green_channel_age,
            tickets_per_person_per_day=self.tickets_per_person_per_day,
        )


class PriorityClass(Strict):
    code: Annotated[str, Field(pattern=_CODE.pattern)]
    name: Text
    who: Text | None = None


class Publics(Strict):
    """五公开: content, procedure, materials, promised time limit, fee with its basis."""

    content: Text
    procedure: list[Text] = []
    materials: list[Text] = []
    time_limit_days: Annotated[int, Field(ge=0, le=365)] = 0
    fee: Text = Text(zh="免费", en="Free")
    fee_basis: Text | None = None


class ServiceConfig(Strict):
    code: Annotated[str, Field(pattern=_CODE.pattern)]
    name: Text
    category: Text | None = None
    prefix: str
    publics: Publics
    daily_cap: Annotated[int, Field(ge=1)] | None = None
    green_channel: bool = True
    default_handling_minutes: Annotated[float, Field(gt=0, le=480)] = 10
    target_wait_minutes: Annotated[int, Field(ge=1, le=480)] | None = None
    # Bookings per appointment slot (docs/appointments.md); None: this service cannot be booked.
    slot_capacity: Annotated[int, Field(ge=1, le=1000)] | None = None

    @field_validator("prefix")
    @classmethod
    def _prefix_letters(cls, value: str) -> str:
        if not _PREFIX.match(value):
            raise ValueError(f"{value!r} must be one or two capital letters, like A or GB")
        return value


class Rotation(Strict):
    anchor: date
    departments: Annotated[list[str], Field(min_length=1)]


class WindowConfig(Strict):
    number: Annotated[int, Field(ge=1, le=999)]
    name: Text
    services: dict[str, Annotated[int, Field(ge=1, le=100)]]
    comprehensive: bool = False
    rotation: Rotation | None = None


class HallConfig(Strict):
    hall: HallSection
    call_policy: CallPolicySection = CallPolicySection()
    rating: RatingSection = RatingSection()
    assessment: AssessmentSection = AssessmentSection()  # docs/assessment.md, config/assessment.py
    retention: RetentionSection = RetentionSection()
    appointments: AppointmentsSection = AppointmentsSection()
    id_card: IdCardSection = IdCardSection()
    floor: FloorSection = FloorSection()
    haocha: HaochaSection = HaochaSection()  # 好差评 to the province, config/haocha.py
    priority_classes: list[PriorityClass] = [
        PriorityClass(
            code="green",
            name=Text(zh="绿色通道", en="Green channel"),
            who=Text(
                zh="老年人、残疾人、孕妇、现役军人等",
                en="Elderly, disabled, pregnant, active military and others",
            ),
        )
    ]
    services: Annotated[list[ServiceConfig], Field(min_length=1)]
    windows: Annotated[list[WindowConfig], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        codes = [s.code for s in self.services]
        duplicates = {c for c in codes if codes.count(c) > 1}
        if duplicates:
            raise ValueError(f"service codes must be unique; repeated: {sorted(duplicates)}")
        numbers = [w.number for w in self.windows]
        repeated = {n for n in numbers if numbers.count(n) > 1}
        if repeated:
            raise ValueError(f"window numbers must be unique; repeated: {sorted(repeated)}")
        known = set(codes)
        for window in self.windows:
            unknown = sorted(set(window.services) - known)
            if unknown:
                raise ValueError(f"window {window.number} serves unknown services {unknown}")
        served = {code for w in self.windows for code in w.services}
        unserved = sorted(known - served)
        if unserved:
            raise ValueError(f"services {unserved} are served by no window")
        check_items(self.haocha, codes)
        return self

    def target_wait_minutes(self, service: ServiceConfig) -> int:
        """The service's own target wait, else the hall's (call_policy.target_wait_minutes)."""
        return service.target_wait_minutes or self.call_policy.target_wait_minutes

    def service(self, code: str) -> ServiceConfig | None:
        return next((s for s in self.services if s.code == code), None)

    def window(self, number: int) -> WindowConfig | None:
        return next((w for w in self.windows if w.number == number), None)
