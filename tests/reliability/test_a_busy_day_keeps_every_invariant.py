"""A compressed busy day through a real server keeps every invariant, on both engines.

Kiosks double-tap, windows call, recall, hold, transfer, no-show and finish, displays rate,
20 subscribers follow the stream; afterwards the log replays legally, numbers are unique,
the chain is intact, the API's counts equal the log's and every subscriber saw every event.
"""

from __future__ import annotations

from tests.reliability.conftest import CI_DAY
from tests.support.busy_day import HALL, Prepared, run_day
from tests.support.invariants import check_counts, check_database, check_streams
from tests.support.server_process import ServerProcess


def test_a_busy_day_keeps_every_invariant(
    database_url: str, prepared: Prepared, hall_server: ServerProcess
) -> None:
    day, record = run_day(hall_server.url, prepared, CI_DAY)

    assert len(record.acknowledged) == CI_DAY.tickets
    assert record.double_taps > 0 and not record.double_tap_mismatches
    assert not record.server_errors
    check = check_database(database_url, HALL, record.acknowledged)
    assert not check.problems, "\n".join(check.problems[:30])
    assert check.moves > 3 * CI_DAY.tickets  # called, started, finished at least
    assert not check_counts(hall_server.url, HALL, check, prepared.tokens.duty_lead)
    streams = check_streams(
        check.log, day.start_seq, [(s.events, s.snapshots) for s in record.subscribers]
    )
    assert streams.subscribers == CI_DAY.subscribers
    assert not streams.problems, "\n".join(streams.problems)
