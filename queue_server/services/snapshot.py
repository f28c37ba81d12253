"""What every window is doing and what waits, as of one event sequence number."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.domain.call_policy import WindowServices, rank_candidates
from queue_server.domain.clock import Clock
from queue_server.domain.tickets import TicketState
from queue_server.services.database import Database
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.halls import HallRegistry
from queue_server.services.queries import at_a_window, to_candidate
from queue_server.services.views import (
    ClerkOnDuty,
    ServiceQueue,
    Snapshot,
    TicketView,
    WindowView,
)
from queue_server.storage.tables import (
    Hall,
    Service,
    Ticket,
    User,
    Window,
    WindowService,
    WindowSignIn,
)


def take_snapshot(db: Database, halls: HallRegistry, clock: Clock, hall_id: str) -> Snapshot:
    hall = halls.get(hall_id)
    now = clock.now()
    ensure_floor_day(db, hall.id, hall.calendar.business_day(now))
    with db.read() as session:
        head = session.get(Hall, hall_id)
        assert head is not None
        at_windows = {
            t.window_no: t
            for t in session.scalars(
                select(Ticket).where(
                    Ticket.hall_id == hall_id,
                    at_a_window(Ticket.state),
                )
            )
        }
        weights: dict[int, dict[str, int]] = {}
        for row in session.scalars(select(WindowService).where(WindowService.hall_id == hall_id)):
            weights.setdefault(row.window_no, {})[row.service_code] = row.weight
        clerks = {
            number: ClerkOnDuty(name, staff_no)
            for number, name, staff_no in session.execute(
                select(WindowSignIn.window_no, User.name, User.staff_no)
                .join(User, User.id == WindowSignIn.user_id)
                .where(WindowSignIn.hall_id == hall_id, WindowSignIn.signed_out_at.is_(None))
            )
        }
        windows = [
            WindowView(
                number=w.number,
                name=w.name_zh,
                is_open=w.is_open,
                paused=w.paused,
                pause_reason=w.pause_reason,
                paused_at=w.paused_at,
                services=weights.get(w.number, {}),
                current=TicketView.of(at_windows[w.number]) if w.number in at_windows else None,
                clerk=clerks.get(w.number),
            )
            for w in session.scalars(
                select(Window).where(Window.hall_id == hall_id).order_by(Window.number)
            )
        ]
        counts = dict(
            session.execute(
                select(Ticket.service_code, func.count())
                .where(Ticket.hall_id == hall_id, Ticket.state == TicketState.WAITING.value)
                .group_by(Ticket.service_code)
            ).all()
        )
        stopped = {
            s.code: s.issuing_stopped
            for s in session.scalars(select(Service).where(Service.hall_id == hall_id))
        }
        waiting_rows = session.scalars(
            select(Ticket).where(
                Ticket.hall_id == hall_id, Ticket.state == TicketState.WAITING.value
            )
        ).all()
        everything = WindowServices(0, {s.code: 1 for s in hall.config.services})
        order = {
            c.ticket_id: i
            for i, c in enumerate(
                rank_candidates(
                    [to_candidate(r) for r in waiting_rows], everything, now, hall.policy
                )
            )
        }
        waiting = [TicketView.of(r) for r in sorted(waiting_rows, key=lambda r: order.get(r.id, 0))]
        return Snapshot(
            hall=hall_id,
            last_seq=head.last_seq,
            at=now,
            hall_state=hall.calendar.status(now).state.value,
            windows=windows,
            queues=[
                ServiceQueue(
                    code=s.code,
                    waiting=int(counts.get(s.code, 0)),
                    issuing_stopped=stopped.get(s.code, False),
                )
                for s in hall.config.services
            ],
            waiting=waiting,
        )
