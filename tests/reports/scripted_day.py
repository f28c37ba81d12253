"""One scripted working day, driven through the real services with a ManualClock.

Wednesday 2026-11-25 in the small test hall. Every wait, walk, hold and handling time is set
by the script, so the measures are known exactly (listed in EXPECTED below and derived from
the script by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.domain.tickets import CaseType
from queue_server.services.attendance import AttendanceService
from queue_server.services.event_log import Actor
from queue_server.services.issuing import IssueRequest
from queue_server.services.ratings import RatingService
from tests.support.auth import staff_login
from tests.support.factories import local

HALL = "test"
DAY = (2026, 11, 25)


@dataclass(frozen=True)
class Script:
    alice: str  # staff numbers
    bob: str
    promised_ticket: str


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return local(*DAY, hour, minute, second)


def play_day(services: Services, clock: ManualClock) -> Script:
    queue = services.queue
    attendance = AttendanceService(services.db, services.halls, clock)
    ratings = RatingService(services.db, services.halls, clock)
    alice = staff_login(services, Role.CLERK, staff_no="C001")
    bob = staff_login(services, Role.CLERK, staff_no="C002")
    as_alice, as_bob = Actor(clerk=alice.user_id), Actor(clerk=bob.user_id)

    def step(hour: int, minute: int, second: int = 0) -> None:
        clock.set(at(hour, minute, second))

    def issue(service: str) -> str:
        return queue.issue(HALL, IssueRequest(service)).ticket.id

    step(8, 55)
    attendance.sign_in(HALL, 1, alice.user_id)
    step(9, 7)
    attendance.sign_in(HALL, 2, bob.user_id)  # 7 minutes late; window 2 empty 09:00-09:07
    step(9, 10)
    a001 = issue("SOC")
    step(9, 12)
    b001 = issue("TAX")
    step(9, 13)
    a002 = issue("SOC")
    step(9, 20)
    assert queue.call_next(HALL, 1, as_alice).id == a001  # type: ignore[union-attr]
    step(9, 21)
    queue.start(HALL, 1, a001, as_alice)
    step(9, 22)
    assert queue.call_next(HALL, 2, as_bob).id == b001  # type: ignore[union-attr]
    step(9, 24)
    queue.start(HALL, 2, b001, as_bob)
    step(9, 29)
    queue.finish(HALL, 1, a001, CaseType.IMMEDIATE, actor=as_alice)
    step(9, 29, 30)
    ratings.rate(HALL, 1, a001, Level.VERY_DISSATISFIED, ["long_wait"], "display-1")
    step(9, 30)
    queue.hold(HALL, 2, b001, None, as_bob)
    assert queue.call_next(HALL, 1, as_alice).id == a002  # type: ignore[union-attr]
    step(9, 33)
    queue.no_show(HALL, 1, a002, as_alice)
    step(9, 35)
    queue.return_(HALL, 2, b001, as_bob)
    step(9, 40)
    queue.finish(HALL, 2, b001, CaseType.PROMISED, actor=as_bob)  # deadline Mon 2026-11-30
    a003 = issue("SOC")
    step(9, 40, 30)
    ratings.rate(HALL, 2, b001, Level.SATISFIED, [], "display-2")
    step(9, 41)
    a004 = issue("SOC")
    step(9, 45)
    queue.call_specific(HALL, 1, a004, "elderly visitor, helped by the duty lead", as_alice)
    step(9, 46)
    queue.start(HALL, 1, a004, as_alice)
    step(9, 50)
    leg = queue.transfer(
        HALL, 1, a004, to_service="TAX", to_window=None, note="tax question", actor=as_alice
    ).id
    step(9, 51)
    assert queue.call_next(HALL, 1, as_alice).id == a003  # type: ignore[union-attr]
    step(9, 52)
    queue.start(HALL, 1, a003, as_alice)
    step(9, 55)
    assert queue.call_next(HALL, 2, as_bob).id == leg  # type: ignore[union-attr]
    step(9, 56)
    queue.start(HALL, 2, leg, as_bob)
    step(10, 2)
    queue.finish(HALL, 1, a003, CaseType.IMMEDIATE, actor=as_alice)
    step(10, 6)
    queue.finish(HALL, 2, leg, CaseType.IMMEDIATE, actor=as_bob)
    step(10, 10)
    queue.pause(HALL, 1, "break", None, as_alice)
    step(10, 55)
    queue.resume(HALL, 1, as_alice)  # 45 minutes: 15 over the 30 allowed
    step(11, 50)
    attendance.sign_out(HALL, 1, as_alice)  # 10 minutes early; nobody at window 1 after
    step(12, 0)
    attendance.sign_out(HALL, 2, as_bob)
    step(13, 55)
    attendance.sign_in(HALL, 2, bob.user_id)
    step(18, 2)
    attendance.sign_out(HALL, 2, as_bob)
    return Script(alice.staff_no, bob.staff_no, b001)
