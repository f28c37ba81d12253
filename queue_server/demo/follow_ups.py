"""The demo month's bad ratings, followed up as a real hall follows them up.

A bad rating opens a follow-up due within `rating.follow_up_working_days` (DOMAIN.md: the
duty lead and supervision contact the visitor, fix the cause, close it). Left open, the
simulated month's follow-ups would all be overdue on the floor monitor the day the demo
starts, dozens of alerts that no real hall would have. So each is contacted, fixed and
closed through FollowUpService on the working day after its rating, never after today.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from queue_server.domain.clock import ManualClock
from queue_server.services.database import Database
from queue_server.services.event_log import SYSTEM
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.halls import HallRegistry
from queue_server.storage.tables import FollowUp

CONTACT_AT = time(10, 0)
CLOSE_AT = time(16, 0)
CONTACT_NOTE = "模拟回访: 已电话联系办事群众 (demo: visitor called back)"
FIX_NOTE = "模拟整改: 窗口已说明并改进 (demo: window explained and improved)"
CLOSURE_NOTE = "模拟办结: 群众认可 (demo: visitor satisfied)"


def follow_up_month(db: Database, halls: HallRegistry, first: date, today: date) -> int:
    """Closes the open follow-ups opened from `first` on; returns how many."""
    [hall] = halls.all()
    calendar = hall.calendar
    with db.read() as session:
        rows = session.execute(
            select(FollowUp.id, FollowUp.opened_at)
            .where(
                FollowUp.hall_id == hall.id,
                FollowUp.state != "closed",
                FollowUp.opened_at >= calendar.at(first, time(0)),
            )
            .order_by(FollowUp.opened_at)
        ).all()
    clock = ManualClock(calendar.at(first, CONTACT_AT))
    service = FollowUpService(db, halls, clock)
    closed = 0
    for follow_up, opened_at in rows:
        day = calendar.add_working_days(calendar.business_day(opened_at), 1)
        if day >= today:
            continue  # still within its days: the floor rightly shows it as due
        clock.set(calendar.at(day, CONTACT_AT))
        service.record_contact(hall.id, follow_up, CONTACT_NOTE, SYSTEM)
        service.record_fix(hall.id, follow_up, FIX_NOTE, SYSTEM)
        clock.set(calendar.at(day, CLOSE_AT))
        service.close(hall.id, follow_up, CLOSURE_NOTE, SYSTEM)
        closed += 1
    return closed
