"""A clean month: five clerks at five windows, on time every day they work, no complaint, no
entry, so everybody scores 100 and the excellent quotas (1 of 5 staff, 1 of 5 windows) are
decided by the tie rule. The clerk at window n serves n visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from queue_server.api.deps import Services
from queue_server.config.assessment import AssessmentSection
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.attendance import AttendanceService
from queue_server.services.event_log import Actor
from queue_server.services.halls import HallRegistry
from queue_server.services.tickets import IssueRequest
from tests.support.auth import StaffLogin, staff_login
from tests.support.factories import local, make_services, small_hall

SERVICE_AT = {1: "SOC", 2: "TAX", 3: "SOC", 4: "SOC", 5: "SOC"}
DAY = date(2026, 11, 24)


@dataclass(frozen=True)
class CleanMonth:
    services: Services
    clerks: dict[int, StaffLogin]  # window -> the clerk who worked there
    supervisor: StaffLogin


def clean_month(
    database_url: str, clock: ManualClock, tie_break: tuple[str, ...] | None
) -> CleanMonth:
    """`tie_break`: the hall's `[assessment] tie_break`, None for the default."""
    config = small_hall(extra_windows=2)
    if tie_break is not None:
        section = AssessmentSection.model_validate({"tie_break": list(tie_break)})
        config = config.model_copy(update={"assessment": section})
    services = make_services(database_url, config, clock=clock)
    services.halls = HallRegistry([config])
    attendance = AttendanceService(services.db, services.halls, services.clock)
    clerks = {w: staff_login(services, Role.CLERK) for w in SERVICE_AT}
    clock.set(local(DAY.year, DAY.month, DAY.day, 9, 0))
    for window, clerk in clerks.items():
        attendance.sign_in("test", window, clerk.user_id)
    minute = 0
    for window, clerk in clerks.items():
        me = Actor(clerk=clerk.user_id)
        for _ in range(window):
            minute += 5
            clock.set(local(DAY.year, DAY.month, DAY.day, 9 + minute // 60, minute % 60))
            ticket = services.queue.issue("test", IssueRequest(SERVICE_AT[window])).ticket
            services.queue.call_next("test", window, actor=me)
            services.queue.start("test", window, ticket.id, actor=me)
            services.queue.finish("test", window, ticket.id, CaseType.IMMEDIATE, actor=me)
    clock.set(local(DAY.year, DAY.month, DAY.day, 18, 0))
    for window, clerk in clerks.items():
        attendance.sign_out("test", window, Actor(clerk=clerk.user_id))
    return CleanMonth(services, clerks, staff_login(services, Role.SUPERVISOR))
