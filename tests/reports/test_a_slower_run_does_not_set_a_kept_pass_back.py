"""Two runs of a month that finish in the wrong order (two workers, the nightly keep beside a
supervisor's re-run): the one that read fewer events keeps nothing over the pass kept further
along, and the month's next run still reads on from the later pass. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import simulate_days
from queue_server.domain.clock import ManualClock
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.month_checkpoints import Frozen, keep
from queue_server.services.reports import ReportService
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from queue_server.storage.report_tables import MonthPassCheckpoint
from tests.support.factories import local


def _kept(db: Database) -> Frozen:
    with db.read() as session:
        row = session.scalars(select(MonthPassCheckpoint)).one()
        return Frozen(
            row.hall_id,
            row.month,
            row.inputs_digest,
            row.last_seq,
            row.events,
            row.state,
            row.signature,
        )


def test_it_keeps_the_pass_that_read_further(database_url: str) -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    hall = config.hall.id
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        db, halls = Database(engine, chain_key=b"c" * 32), HallRegistry([config])
        clock = ManualClock(local(2026, 11, 3, 10, 0))
        ensure_halls(db, halls, clock)
        reports = ReportService(db, halls, clock)

        def kept_events_read() -> int:
            calls: list[tuple[int, int]] = []
            reports.month_measures(hall, "2026-10", lambda done, total: calls.append((done, total)))
            return calls[0][0]

        simulate_days(db, config, [date(2026, 10, 8)])
        assert kept_events_read() == 0
        slower = _kept(db)  # what a run that started before the next day was filled keeps

        simulate_days(db, config, [date(2026, 10, 9)])
        assert kept_events_read() == slower.events
        further = _kept(db)
        assert further.last_seq > slower.last_seq

        keep(db, slower, clock.now())  # the slower run finishes last

        now_kept = _kept(db)
        assert (now_kept.last_seq, now_kept.signature) == (further.last_seq, further.signature)
        assert kept_events_read() == further.events
    finally:
        engine.dispose()
