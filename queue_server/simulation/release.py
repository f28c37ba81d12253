"""Simulated clerks leave the windows: what a stopped simulator owes the hall.

A simulator that is stopped (Ctrl-C, SIGTERM, a crash) cannot always sign its clerks out
over HTTP: the server may be going down with it. The demo calls this through the service
layer instead, before it serves and after it stops, so that a window is never left to a
simulated clerk nobody runs: each finishes the case at its window (as the simulator's own
tidy-up does), ends its own pause, and signs out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from queue_server.domain.tickets import CaseType, TicketState
from queue_server.queueing.actions import SIMULATED_PAUSE
from queue_server.services.attendance import AttendanceService
from queue_server.services.device_tokens import DeviceTokens
from queue_server.services.event_log import Actor
from queue_server.services.queries import current_ticket
from queue_server.services.tickets import QueueService
from queue_server.simulation.provision import KIOSK_NAME, display_name
from queue_server.storage.tables import Device, User, Window, WindowSignIn


def sim_staff_prefix(hall: str) -> str:
    """Every simulated clerk's staff number starts so (inprocess.sim_staff_no)."""
    return f"sim-{hall}-w"


@dataclass(frozen=True)
class Released:
    windows: tuple[int, ...]
    finished: tuple[str, ...]  # ticket numbers whose case the leaving clerk finished
    devices: tuple[str, ...]  # the simulator's kiosk and displays, retired with it


def release_simulated_windows(queue: QueueService, hall_id: str) -> Released:
    attendance = AttendanceService(queue.db, queue.halls, queue.clock)
    with queue.db.read() as session:
        staffed = session.execute(
            select(WindowSignIn.window_no, User.id, Window.paused, Window.pause_note)
            .join(User, User.id == WindowSignIn.user_id)
            .join(
                Window,
                (Window.hall_id == WindowSignIn.hall_id)
                & (Window.number == WindowSignIn.window_no),
            )
            .where(
                WindowSignIn.hall_id == hall_id,
                WindowSignIn.signed_out_at.is_(None),
                User.staff_no.startswith(sim_staff_prefix(hall_id), autoescape=True),
            )
            .order_by(WindowSignIn.window_no)
        ).all()
        tickets = {number: current_ticket(session, hall_id, number) for number, *_ in staffed}
        at_window = {
            number: (ticket.id, ticket.number, TicketState(ticket.state))
            for number, ticket in tickets.items()
            if ticket is not None
        }
    finished: list[str] = []
    for number, user_id, paused, note in staffed:
        actor = Actor(clerk=user_id)
        if paused and note == SIMULATED_PAUSE:
            queue.resume(hall_id, number, actor)
        if number in at_window:
            ticket_id, ticket_number, state = at_window[number]
            if state is TicketState.CALLED:
                queue.start(hall_id, number, ticket_id, actor)
            queue.finish(hall_id, number, ticket_id, CaseType.IMMEDIATE, actor=actor)
            finished.append(ticket_number)
        attendance.sign_out(hall_id, number, actor)
    return Released(
        tuple(number for number, *_ in staffed), tuple(finished), _retire_devices(queue, hall_id)
    )


def _retire_devices(queue: QueueService, hall_id: str) -> tuple[str, ...]:
    """Revokes the simulator's devices: gone with it, they are not offline devices."""
    with queue.db.read() as session:
        windows = session.scalars(select(Window.number).where(Window.hall_id == hall_id))
        names = {KIOSK_NAME, *(display_name(number) for number in windows)}
        live = tuple(
            session.scalars(
                select(Device.name)
                .where(
                    Device.hall_id == hall_id,
                    Device.name.in_(names),
                    Device.revoked_at.is_(None),
                )
                .order_by(Device.name)
            )
        )
    devices = DeviceTokens(queue.db, queue.clock)
    for name in live:
        devices.revoke_if_present(hall_id, name)
    return live
