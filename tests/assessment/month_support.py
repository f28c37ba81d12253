"""A scripted November in the small test hall: what the event log then holds is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.assessment import AssessmentService
from queue_server.services.attendance import AttendanceService
from queue_server.services.case_conclusions import CaseConclusionService
from queue_server.services.event_log import Actor
from queue_server.services.tickets import IssueRequest
from tests.support.auth import StaffLogin, bearer, staff_login
from tests.support.factories import local


@dataclass(frozen=True)
class ScriptedMonth:
    clerk: StaffLogin
    supervisor: StaffLogin
    promised_ticket: str


def script_november(services: Services, clock: ManualClock) -> ScriptedMonth:
    """Clerk at window 1 signs in 10 minutes late on Mon 2 Nov and serves one promised case
    due Tue 3 Nov, concluded Thu 5 Nov: 2 working days overdue. Nothing else happens."""
    clerk = staff_login(services, Role.CLERK)
    supervisor = staff_login(services, Role.SUPERVISOR)
    attendance = AttendanceService(services.db, services.halls, services.clock)
    clock.set(local(2026, 11, 2, 9, 10))
    attendance.sign_in("test", 1, clerk.user_id)
    me = Actor(clerk=clerk.user_id)
    ticket = services.queue.issue("test", IssueRequest("SOC")).ticket
    services.queue.call_next("test", 1, actor=me)
    services.queue.start("test", 1, ticket.id, actor=me)
    clock.set(local(2026, 11, 2, 9, 30))
    services.queue.finish("test", 1, ticket.id, CaseType.PROMISED, date(2026, 11, 3), actor=me)
    clock.set(local(2026, 11, 2, 18, 0))
    attendance.sign_out("test", 1, me)
    clock.set(local(2026, 11, 5, 9, 0))
    attendance.sign_in("test", 1, clerk.user_id)
    CaseConclusionService(services.db, services.halls, services.clock).conclude(
        "test", 1, ticket.id, date(2026, 11, 5), me
    )
    clock.set(local(2026, 11, 5, 18, 0))
    attendance.sign_out("test", 1, me)
    return ScriptedMonth(clerk, supervisor, ticket.id)


def fresh_headers(services: Services, login: StaffLogin) -> dict[str, str]:
    """A new token for an account made earlier in the script (logins expire as time moves)."""
    return bearer(services.accounts.open_session(login.user_id).token)


def assessment(services: Services) -> AssessmentService:
    return AssessmentService(services.db, services.halls, services.clock)
