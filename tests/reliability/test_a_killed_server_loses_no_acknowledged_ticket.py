"""SIGKILL in the middle of a busy day, then a restart on the same port: every ticket a kiosk
was given (2xx) exists with its number, no number is issued twice, the log still replays
legally and every event-stream subscriber resumes from its sequence number and misses
nothing. On both engines."""

from __future__ import annotations

import threading
import time

from tests.reliability.conftest import FAULT_DAY
from tests.support.busy_day import HALL, Prepared, run_day
from tests.support.invariants import check_counts, check_database, check_streams
from tests.support.server_process import ServerProcess


def test_a_killed_server_loses_no_acknowledged_ticket(
    database_url: str, prepared_fault: Prepared, fault_server: ServerProcess
) -> None:
    crashes: list[int] = []
    kill_at = FAULT_DAY.tickets // 3

    restart_errors: list[Exception] = []

    def crash() -> None:
        fault_server.kill()
        time.sleep(0.3)
        try:
            fault_server.start(timeout=180)  # a loaded CI machine can be slow to import
        except Exception as exc:
            restart_errors.append(exc)

    def on_progress(acknowledged: int) -> None:
        if acknowledged >= kill_at and not crashes:
            crashes.append(acknowledged)
            threading.Thread(target=crash, daemon=True).start()

    prepared = prepared_fault
    day, record = run_day(fault_server.url, prepared, FAULT_DAY, on_progress)

    assert crashes and fault_server.starts == 2 and not restart_errors
    assert record.retries > 0  # the clients did meet the dead server
    assert len(record.acknowledged) == FAULT_DAY.tickets
    assert not record.double_tap_mismatches and not record.server_errors
    check = check_database(database_url, HALL, record.acknowledged)
    assert not check.problems, "\n".join(check.problems[:30])
    assert not check_counts(fault_server.url, HALL, check, prepared.tokens.duty_lead)
    streams = check_streams(
        check.log, day.start_seq, [(s.events, s.snapshots) for s in record.subscribers]
    )
    assert all(s.disconnects >= 1 for s in record.subscribers)
    assert not streams.problems, "\n".join(streams.problems)
