"""The live driver against a real server: kiosk and clerks, each with their own token."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.queueing.actions import SIMULATED_PAUSE
from queue_server.simulation.live import Credentials, HttpHall, run_live
from queue_server.storage.tables import Event, Ticket, WindowSignIn
from tests.simulation.models import small_model
from tests.support.auth import PASSWORD, device_token, staff_login
from tests.support.factories import small_hall
from tests.support.live_server import live_server


def test_a_short_session_plays_through_the_api(services: Services) -> None:
    kiosk = device_token(services, DeviceKind.KIOSK, name="kiosk-sim")
    clerks = {w: staff_login(services, Role.CLERK) for w in (1, 2, 3)}
    # Left over from an interrupted run: the driver undoes its own pause.
    services.queue.pause("test", 3, "break", SIMULATED_PAUSE)
    config = small_hall()
    short = config.model_copy(
        update={
            "hall": config.hall.model_copy(
                update={"sessions": [("10:00", "10:20")], "issue_cutoff_minutes": 0}
            )
        }
    )
    with live_server(create_app(services)) as server:
        credentials = Credentials(
            kiosk=kiosk,
            clerks={w: c.token for w, c in clerks.items() if w != 3},
            clerk_logins={3: (clerks[3].staff_no, PASSWORD)},  # window 3 logs in first
        )
        hall = HttpHall(server.url, "test", credentials)
        results = asyncio.run(
            run_live(
                hall,
                short,
                small_model({"SOC": 12, "TAX": 6, "RES": 3}),
                speed=6000,
                seed=2,
                days=1,
                first_day=date(2026, 11, 25),
            )
        )

    summary = results[0].summary
    assert summary.issued >= 10
    with services.db.read() as session:
        states = dict(
            session.execute(select(Ticket.state, func.count()).group_by(Ticket.state)).all()
        )
        assert set(states) <= {"finished", "no_show"}
        assert sum(states.values()) == summary.issued
        issued_by = set(
            session.scalars(select(Event.device_id).where(Event.kind == "ticket.issued"))
        )
        assert issued_by == {"kiosk-sim"}
        callers = set(
            session.execute(
                select(Event.window_no, Event.clerk_id).where(Event.kind == "ticket.called")
            ).all()
        )
        assert callers <= {(w, c.user_id) for w, c in clerks.items()}
        assert session.scalar(select(func.count()).where(WindowSignIn.signed_out_at.is_(None))) == 0
    snapshot = services.queue  # the window paused before the run was resumed
    del snapshot
    with services.db.read() as session:
        paused = session.scalar(
            select(func.count()).where(Event.kind == "window.resumed", Event.window_no == 3)
        )
        assert paused and paused >= 1
