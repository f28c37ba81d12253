"""Simulated days through the real service layer, into SQLite."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from queue_server.domain.clock import ManualClock
from queue_server.queueing.demand import RatingModel
from queue_server.queueing.engine import run_day
from queue_server.queueing.memory import drive, simulate_day
from queue_server.queueing.planning import plan_day
from queue_server.services.database import Database
from queue_server.services.event_log import verify_chain
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.tickets import QueueService
from queue_server.simulation.inprocess import (
    DayBatch,
    HallNotAtRest,
    ServiceHall,
    ensure_sim_clerks,
    fill_month,
)
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from queue_server.storage.tables import Event, Rating, Ticket, WindowSignIn
from tests.simulation.models import small_model
from tests.support.factories import small_hall

TINY = {"SOC": 4.0, "TAX": 2.0, "RES": 1.0}


def test_a_small_month_fills_with_a_valid_event_log(sqlite_url: str) -> None:
    config = small_hall()
    model = small_model(TINY, ratings=RatingModel(share=1.0))
    days = fill_month(sqlite_url, config, "2026-10", seed=5, model=model)

    # The small hall's October: National Day holidays off, Saturday the 10th worked (调休).
    filled = [d.day for d in days]
    assert date(2026, 10, 10) in filled
    assert not {date(2026, 10, d) for d in (1, 2, 5, 6, 7, 3, 11)} & set(filled)
    assert len(filled) == 18

    db = Database(make_engine(sqlite_url))
    with db.read() as session:
        count, broken = verify_chain(session, "test")
        assert broken is None
        assert count > 0
        states = dict(
            session.execute(select(Ticket.state, func.count()).group_by(Ticket.state)).all()
        )
        assert set(states) <= {"finished", "no_show"}
        assert sum(states.values()) == sum(d.summary.issued for d in days)
        # Each clerk signed in and out for both sessions of every day.
        sign_ins = session.scalar(select(func.count()).select_from(WindowSignIn))
        assert sign_ins == 3 * 2 * len(filled)
        assert session.scalar(select(func.count()).where(WindowSignIn.signed_out_at.is_(None))) == 0
        ratings = session.scalar(select(func.count()).select_from(Rating))
        assert ratings == states.get("finished", 0)
        kiosk = session.scalar(
            select(func.count()).where(
                Event.kind == "ticket.issued", Event.device_id == "sim-kiosk"
            )
        )
        assert kiosk == sum(states.values())
    db.engine.dispose()

    with pytest.raises(HallNotAtRest):
        fill_month(sqlite_url, config, "2026-10", seed=5, model=model)


def test_the_service_layer_calls_what_the_memory_hall_calls(database_url: str) -> None:
    """Same plan, two halls: identical tickets, windows and instants, call for call."""
    config = small_hall()
    plan = plan_day(config, date(2026, 11, 25), small_model({"SOC": 30, "TAX": 15, "RES": 6}), 9)
    in_memory = simulate_day(config, plan)

    engine = make_engine(database_url)
    upgrade(engine)
    db = DayBatch(engine)
    registry = HallRegistry([config])
    clock = ManualClock(plan.instant(plan.start))
    ensure_halls(db, registry, clock)
    queue = QueueService(db, registry, clock)
    hall = ServiceHall(queue, clock, "test", ensure_sim_clerks(db, clock, config))
    with db.batch():
        through_services = drive(run_day(plan), hall)

    def shape(result: object) -> list[tuple[object, ...]]:
        return [
            (t.visitor, t.number, t.window, t.called_at, t.started_at, t.finished_at, t.outcome)
            for t in result.tickets  # type: ignore[attr-defined]
        ]

    assert shape(through_services) == shape(in_memory)
    with db.read() as session:
        rows = {
            (number, window, called)
            for number, window, called in session.execute(
                select(Ticket.number, Ticket.window_no, Ticket.called_at)
            )
        }
    assert rows == {(t.number, t.window, t.called_at) for t in in_memory.tickets}
    db.engine.dispose()
