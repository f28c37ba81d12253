"""Two runs of a month that finish in the wrong order (two workers, the nightly keep beside a
supervisor's re-run): the one that read fewer events keeps nothing over the pass kept further
along, and the month's next run still reads on from the later pass. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from queue_server.demo.month import simulate_days
from queue_server.services.database import Database
from queue_server.services.month_checkpoints import Frozen, keep
from queue_server.storage.report_tables import MonthPassCheckpoint
from tests.reports.conftest import ExampleHall


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


def test_it_keeps_the_pass_that_read_further(example_hall: ExampleHall) -> None:
    hall = example_hall
    simulate_days(hall.db, hall.config, [date(2026, 10, 8)])
    assert hall.kept_events_read() == 0
    slower = _kept(hall.db)  # what a run that started before the next day was filled keeps

    simulate_days(hall.db, hall.config, [date(2026, 10, 9)])
    assert hall.kept_events_read() == slower.events
    further = _kept(hall.db)
    assert further.last_seq > slower.last_seq

    keep(hall.db, slower, hall.clock.now())  # the slower run finishes last

    now_kept = _kept(hall.db)
    assert (now_kept.last_seq, now_kept.signature) == (further.last_seq, further.signature)
    assert hall.kept_events_read() == further.events
