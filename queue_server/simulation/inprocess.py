"""The in-process driver: simulated days through the real service layer (QueueService).

The hall's ManualClock is moved to each action's instant before the action runs, so every
row and every event carries simulated times. A day is one database transaction, so a month
costs the service layer's statements and not a commit per click; an issue the hall refuses
(closed, stopped, daily cap) leaves nothing written, and any unexpected error rolls the whole
day back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from queue_server.composition import filling_hall
from queue_server.config.models import HallConfig
from queue_server.domain.access import Role
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.clock import Clock, ManualClock
from queue_server.domain.errors import DailyCapReached, HallClosed, IssuingStopped
from queue_server.domain.tickets import AT_WINDOW_STATES, TicketState
from queue_server.queueing.actions import (
    Action,
    Called,
    CallNext,
    Finish,
    Issue,
    Issued,
    NoShow,
    Pause,
    Rate,
    Recall,
    Resume,
    SignIn,
    SignOut,
    Start,
)
from queue_server.queueing.demand import RATING_LEVELS, HallModel, RatingModel, hall_model
from queue_server.queueing.engine import run_day
from queue_server.queueing.memory import drive
from queue_server.queueing.planning import plan_day
from queue_server.queueing.records import DayResult, DaySummary
from queue_server.services.accounts import AccountService
from queue_server.services.attendance import AttendanceService
from queue_server.services.database import Database, Work
from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor
from queue_server.services.ratings import RatingService
from queue_server.services.tickets import IssueRequest, QueueService
from queue_server.storage.tables import Ticket, Window, WindowSignIn

KIOSK = Actor(device="sim-kiosk")


def sim_staff_no(hall: str, window: int) -> str:
    return f"sim-{hall}-w{window:02d}"


def ensure_sim_clerks(db: Database, clock: Clock, config: HallConfig) -> dict[int, str]:
    """A clerk account per window (no password: nobody logs in as them); user id by window."""
    accounts = AccountService(db, clock)
    clerks = {}
    for window in config.windows:
        staff_no = sim_staff_no(config.hall.id, window.number)
        try:
            user = accounts.user(staff_no)
        except NotFound:
            name = f"模拟{window.number}号窗口"
            user = accounts.create_user(config.hall.id, staff_no, name, Role.CLERK, None)
        clerks[window.number] = user.id
    return clerks


class DayBatch(Database):
    """A Database whose writes and reads share one transaction while a batch is open.

    No SAVEPOINT around each write (two statements and the session's nested-transaction
    bookkeeping, a twentieth of a month's fill): the only refusals the driver expects, of an
    issue (hall closed, issuing stopped, daily cap), leave nothing written, and any other
    error rolls the whole day back."""

    def __init__(self, engine: Engine, chain_key: bytes | None = None) -> None:
        super().__init__(engine, chain_key=chain_key)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._batch: Session | None = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._sessions() as session, session.begin():
            self._batch = session
            try:
                yield
            finally:
                self._batch = None

    @contextmanager
    def write(self) -> Iterator[Work]:
        if self._batch is None:
            with super().write() as work:
                yield work
            return
        yield Work(self._batch, chain_key=self.chain_key)

    @contextmanager
    def read(self) -> Iterator[Session]:
        if self._batch is None:
            with super().read() as session:
                yield session
            return
        yield self._batch


class ServiceHall:
    """Performs the engine's actions with QueueService, at the actions' instants.

    The hall must be at rest when the day starts (`check_at_rest`): then every waiting
    ticket is one this driver issued, and a window none of whose services has any is
    answered "nothing waits" without a transaction.
    """

    def __init__(
        self,
        queue: QueueService,
        clock: ManualClock,
        hall_id: str,
        clerks: Mapping[int, str],
        kiosk: Actor = KIOSK,
    ) -> None:
        self.queue = queue
        self.clock = clock
        self.hall = hall_id
        self.clerks = clerks
        self.kiosk = kiosk
        self.attendance = AttendanceService(queue.db, queue.halls, clock)
        self.ratings = RatingService(queue.db, queue.halls, clock)
        config = queue.halls.get(hall_id).config
        self.recalls_allowed = config.call_policy.max_recalls > 0
        self.serves = {w.number: frozenset(w.services) for w in config.windows}
        self.waiting: dict[str, int] = {}

    def execute(self, action: Action) -> Any:
        self.clock.set(action.at)
        if isinstance(action, Issue):
            return self.issue(action)
        return self.act(action)

    def issue(self, action: Issue) -> Issued | None:
        service = action.visitor.service
        request = IssueRequest(service, action.visitor.priority)
        try:
            ticket = self.queue.issue(self.hall, request, actor=self.kiosk).ticket
        except (DailyCapReached, HallClosed, IssuingStopped):
            return None
        self.waiting[service] = self.waiting.get(service, 0) + 1
        return Issued(ticket.id, ticket.number)

    def act(self, action: Action) -> Any:
        queue, hall = self.queue, self.hall
        if isinstance(action, Issue):
            raise TypeError("issues go through ServiceHall.issue")
        actor = Actor(clerk=self.clerks[action.window])
        if isinstance(action, CallNext):
            if not any(self.waiting.get(s) for s in self.serves[action.window]):
                return None
            called = queue.call_next(hall, action.window, actor=actor)
            if called is None:
                return None
            self.waiting[called.service] -= 1
            return Called(called.id, called.number, called.service)
        if isinstance(action, Recall):
            if self.recalls_allowed:
                queue.recall(hall, action.window, action.ticket, actor=actor)
        elif isinstance(action, Start):
            queue.start(hall, action.window, action.ticket, actor=actor)
        elif isinstance(action, NoShow):
            queue.no_show(hall, action.window, action.ticket, actor=actor)
        elif isinstance(action, Finish):
            queue.finish(hall, action.window, action.ticket, action.case_type, actor=actor)
        elif isinstance(action, Pause):
            queue.pause(hall, action.window, action.reason, action.note, actor=actor)
        elif isinstance(action, Resume):
            queue.resume(hall, action.window, actor=actor)
        elif isinstance(action, SignIn):
            self.attendance.sign_in(hall, action.window, self.clerks[action.window])
        elif isinstance(action, SignOut):
            self.attendance.sign_out(hall, action.window, actor)
        elif isinstance(action, Rate):
            device = f"sim-display-{action.window:02d}"
            level = RATING_LEVELS[action.score]
            self.ratings.rate(hall, action.window, action.ticket, level, (), device)
        return True


class HallNotAtRest(Exception):
    """The hall has live state (waiting tickets, busy or paused windows, or the month)."""


@dataclass(frozen=True)
class FilledDay:
    day: date
    summary: DaySummary


def month_days(month: str) -> list[date]:
    """Every date of a month given as YYYY-MM."""
    first = date.fromisoformat(f"{month}-01")
    days = []
    day = first
    while day.month == first.month:
        days.append(day)
        day += timedelta(days=1)
    return days


def check_at_rest(db: Database, hall_id: str, days: list[date]) -> None:
    with db.read() as session:
        busy = session.scalar(
            select(func.count()).where(
                Ticket.hall_id == hall_id,
                Ticket.state.in_([TicketState.WAITING.value, *(s.value for s in AT_WINDOW_STATES)]),
            )
        )
        if busy:
            raise HallNotAtRest(
                f"hall {hall_id} has {busy} tickets waiting or at a window; the simulator "
                "fills past days into a hall at rest"
            )
        odd = session.scalars(
            select(Window.number).where(
                Window.hall_id == hall_id, (Window.paused.is_(True)) | (Window.is_open.is_(False))
            )
        ).all()
        if odd:
            raise HallNotAtRest(f"windows {sorted(odd)} of hall {hall_id} are paused or closed")
        staffed = session.scalars(
            select(WindowSignIn.window_no).where(
                WindowSignIn.hall_id == hall_id, WindowSignIn.signed_out_at.is_(None)
            )
        ).all()
        if staffed:
            raise HallNotAtRest(f"windows {sorted(staffed)} of hall {hall_id} are signed in to")
        existing = session.scalar(
            select(func.count()).where(
                Ticket.hall_id == hall_id,
                Ticket.business_day >= days[0],
                Ticket.business_day <= days[-1],
            )
        )
        if existing:
            raise HallNotAtRest(
                f"hall {hall_id} already has {existing} tickets between {days[0]} and {days[-1]}"
            )


def check_closed_between(calendar: HallCalendar, days: list[date]) -> None:
    """The simulator plays one working day after another, each from a hall at rest, and a
    day's last visitors are served after its closing: a hall that closes at 24:00 and opens
    again at 00:00 the next day (open round the clock) would have the two days' windows
    overlap, and the service refuse what the simulator planned. Refused before anything is
    written."""
    working = [day for day in days if calendar.is_working_day(day)]
    for day, following in pairwise(working):
        closing = calendar.closing_time(day)
        opening = calendar.session_bounds(following)[0][0]
        if closing is not None and closing >= opening:
            raise HallNotAtRest(
                f"the hall is open from {day} until {following} without closing between them; "
                "the simulator plays one day after another and needs the hall closed at night"
            )


def fill_days(
    database_url: str,
    config: HallConfig,
    days: list[date],
    *,
    seed: int = 0,
    model: HallModel | None = None,
    on_day: Callable[[FilledDay], None] | None = None,
) -> list[FilledDay]:
    """Simulate the hall's working days among `days` into the database, one commit a day."""
    calendar = config.hall.calendar()
    check_closed_between(calendar, days)
    clock = ManualClock(calendar.at(days[0], calendar.sessions[0][0]))
    with filling_hall(database_url, config, clock, database_class=DayBatch) as services:
        db = services.db
        assert isinstance(db, DayBatch)
        hall_id = config.hall.id
        check_at_rest(db, hall_id, days)
        queue = services.queue
        hall = ServiceHall(queue, clock, hall_id, ensure_sim_clerks(db, clock, config))
        chosen = model or hall_model(config, ratings=RatingModel())
        filled: list[FilledDay] = []
        for day in days:
            if not calendar.is_working_day(day):
                continue
            opening = calendar.session_bounds(day)[0][0]
            if filled and clock.now() >= opening:
                # The last day's visitors were still being served when this one opened.
                raise HallNotAtRest(
                    f"the visitors of {filled[-1].day} were served until "
                    f"{calendar.local(clock.now()):%H:%M} on {calendar.business_day(clock.now())}, "
                    f"after {day} had opened; filled up to {filled[-1].day}, nothing from {day} on"
                )
            plan = plan_day(config, day, chosen, seed)
            with db.batch():
                result: DayResult = drive(run_day(plan), hall)
            filled.append(FilledDay(day, result.summary))
            if on_day is not None:
                on_day(filled[-1])
        return filled


def fill_month(
    database_url: str,
    config: HallConfig,
    month: str,
    *,
    seed: int = 0,
    model: HallModel | None = None,
    on_day: Callable[[FilledDay], None] | None = None,
) -> list[FilledDay]:
    return fill_days(database_url, config, month_days(month), seed=seed, model=model, on_day=on_day)
