"""A clerk who finishes promised cases on given days, for the tests of facts recorded late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.assessment.month import MonthResult
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.attendance import AttendanceService
from queue_server.services.case_conclusions import CaseConclusionService, Conclusion
from queue_server.services.event_log import Actor
from queue_server.services.tickets import IssueRequest
from tests.support.auth import StaffLogin, staff_login
from tests.support.factories import local


@dataclass(frozen=True)
class Desk:
    services: Services
    clock: ManualClock
    clerk: StaffLogin
    supervisor: StaffLogin
    window: int = 1

    @property
    def actor(self) -> Actor:
        return Actor(clerk=self.clerk.user_id)

    def promised_case(self, day: date, deadline: date) -> str:
        """Sign in on time on `day`, serve one promised case due `deadline`, sign out."""
        attendance = AttendanceService(self.services.db, self.services.halls, self.clock)
        self.clock.set(local(day.year, day.month, day.day, 9, 0))
        attendance.sign_in("test", self.window, self.clerk.user_id)
        ticket = self.services.queue.issue("test", IssueRequest("SOC")).ticket
        self.services.queue.call_next("test", self.window, actor=self.actor)
        self.services.queue.start("test", self.window, ticket.id, actor=self.actor)
        self.clock.set(local(day.year, day.month, day.day, 9, 30))
        self.services.queue.finish(
            "test", self.window, ticket.id, CaseType.PROMISED, deadline, actor=self.actor
        )
        self.clock.set(local(day.year, day.month, day.day, 18, 0))
        attendance.sign_out("test", self.window, self.actor)
        return ticket.id

    def conclude(self, ticket_id: str, concluded_on: date, recorded_on: date) -> Conclusion:
        """Record on `recorded_on` that the case was concluded on `concluded_on`."""
        self.clock.set(local(recorded_on.year, recorded_on.month, recorded_on.day, 19, 0))
        return CaseConclusionService(self.services.db, self.services.halls, self.clock).conclude(
            "test", self.window, ticket_id, concluded_on, self.actor
        )


def desk(services: Services, clock: ManualClock) -> Desk:
    return Desk(
        services,
        clock,
        staff_login(services, Role.CLERK),
        staff_login(services, Role.SUPERVISOR),
    )


def overdue_days(result: MonthResult, staff_no: str, window: int = 1) -> tuple[float, float]:
    """(the clerk's, the window's) points taken for overdue case-days in the month."""
    clerk = result.staff_member(staff_no).score.part("results").lines
    at_window = result.window(window).score.part("quality").lines
    return (
        sum(x.points for x in clerk if x.kind == "overdue_case_day"),
        sum(x.points for x in at_window if x.kind == "overdue_case_day"),
    )
