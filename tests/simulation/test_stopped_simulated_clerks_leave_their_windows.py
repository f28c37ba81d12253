"""A stopped simulator's clerks leave the hall through the service layer (what `hallq demo`
does before it serves and after it stops): each finishes the case at its window, ends its own
pause and signs out; its kiosk and displays are retired. A person at another window stays."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import TicketState
from queue_server.queueing.actions import SIMULATED_PAUSE
from queue_server.services.attendance import AttendanceService
from queue_server.services.device_tokens import DeviceTokens
from queue_server.services.event_log import Actor
from queue_server.services.issuing import IssueRequest
from queue_server.simulation.inprocess import ensure_sim_clerks
from queue_server.simulation.provision import provision
from queue_server.simulation.release import release_simulated_windows
from queue_server.storage.tables import Ticket, Window, WindowSignIn
from tests.support.auth import clerk_at
from tests.support.factories import make_services, small_hall


def test_simulated_clerks_finish_unpause_and_sign_out_and_a_person_stays(
    sqlite_url: str, clock: ManualClock
) -> None:
    config = small_hall(extra_windows=1)  # windows 1-4
    services = make_services(sqlite_url, config, clock=clock)
    queue = services.queue
    credentials = provision(services.db, clock, config, leave=[4])
    assert sorted(credentials.clerks) == [1, 2, 3]
    assert sorted(credentials.displays) == [1, 2, 3]
    sim = ensure_sim_clerks(services.db, clock, config)
    attendance = AttendanceService(services.db, services.halls, clock)
    for window in (1, 2, 3):
        attendance.sign_in("test", window, sim[window])
    person = clerk_at(services, 4)
    for service in ("SOC", "TAX", "SOC"):
        queue.issue("test", IssueRequest(service))
    called = queue.call_next("test", 1, Actor(clerk=sim[1]))
    serving = queue.call_next("test", 2, Actor(clerk=sim[2]))
    assert called is not None and serving is not None
    queue.start("test", 2, serving.id, Actor(clerk=sim[2]))
    queue.pause("test", 3, "break", SIMULATED_PAUSE, Actor(clerk=sim[3]))
    at_person = queue.call_next("test", 4, Actor(clerk=person.user_id))
    assert at_person is not None

    released = release_simulated_windows(queue, "test")

    assert released.windows == (1, 2, 3)
    assert sorted(released.finished) == sorted([called.number, serving.number])
    assert released.devices == ("sim-display-1", "sim-display-2", "sim-display-3", "sim-kiosk")
    with services.db.read() as session:
        still_in = session.scalars(
            select(WindowSignIn.window_no).where(WindowSignIn.signed_out_at.is_(None))
        ).all()
        paused = session.scalar(select(Window.paused).where(Window.number == 3))
        states = {
            t.id: t.state
            for t in session.scalars(
                select(Ticket).where(Ticket.id.in_([called.id, serving.id, at_person.id]))
            )
        }
    assert still_in == [4]
    assert paused is False
    assert states[called.id] == states[serving.id] == TicketState.FINISHED.value
    assert states[at_person.id] == TicketState.CALLED.value
    live_devices = [
        d.name for d in DeviceTokens(services.db, clock).list("test") if not d.revoked_at
    ]
    assert not [name for name in live_devices if name.startswith("sim-")]
    # Nothing left to release: a second call (the demo's next start) changes nothing.
    again = release_simulated_windows(queue, "test")
    assert again.windows == () and again.finished == () and again.devices == ()
    services.db.engine.dispose()
