"""The demo's past month is played by the simulator in memory and written in bulk; the same
day driven through the real service layer (`fill_days`) measures exactly the same, and the wait
estimates the bulk writes hold as often as the ones the server gave."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import SEED, simulate_days
from queue_server.domain.clock import ManualClock
from queue_server.services.database import Database
from queue_server.services.event_log import verify_chain
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.reports import ReportService
from queue_server.simulation.inprocess import fill_days
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.support.factories import local

DAY = date(2026, 10, 8)  # a working day of the example hall


def test_the_demo_month_writes_what_the_service_layer_writes(tmp_path: Path) -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    registry = HallRegistry([config])
    through_services = f"sqlite:///{tmp_path / 'services.sqlite3'}"
    fill_days(through_services, config, [DAY], seed=SEED)
    bulk = make_engine(f"sqlite:///{tmp_path / 'bulk.sqlite3'}")
    upgrade(bulk)
    ensure_halls(Database(bulk), registry, ManualClock(local(2026, 11, 2, 10, 0)))
    simulate_days(Database(bulk), config, [DAY])
    bulk.dispose()

    clock = ManualClock(local(2026, 11, 2, 10, 0))
    measured = []
    for name in ("services", "bulk"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        db = Database(engine)
        with db.read() as session:
            _, broken = verify_chain(session, config.hall.id)
        assert broken is None
        measured.append(ReportService(db, registry, clock).month_measures("demo", "2026-10"))
        engine.dispose()
    a, b = measured
    assert a.totals.issued > 100
    assert a.events == b.events
    assert a.totals == b.totals
    assert a.windows == b.windows
    assert a.services == b.services
    assert [(i.kind, i.window, i.minutes) for i in a.attendance] == [
        (i.kind, i.window, i.minutes) for i in b.attendance
    ]
    assert [(r.window, r.level) for r in a.ratings] == [(r.window, r.level) for r in b.ratings]
    # The estimates the demo writes are the server's at the same instants (estimate_at_issue
    # on what the floor showed; rounding of a measured handling time may move a bound).
    served, bulk = a.estimates[-1], b.estimates[-1]
    assert served.service == bulk.service == "" and served.called == bulk.called > 100
    assert served.coverage is not None and bulk.coverage is not None
    assert abs(served.coverage - bulk.coverage) <= 0.02
    assert [(c.number, c.deadline) for c in a.promised_cases] == [
        (c.number, c.deadline) for c in b.promised_cases
    ]
