"""A power cut while offline: a kiosk process issuing from its lease is SIGKILLed mid-stream;
the restarted kiosk opens the same journal file, still holds its lease, has every number it
handed out on record, and goes on with the next one, never a number twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.offline import OfflineBook
from queue_server.domain.clock import ManualClock
from tests.support.server_process import REPO

# The child prints each number only after issue() returned, i.e. after the journal's commit:
# what it printed is what a visitor may hold on paper.
# Its clock is the test's: it starts where the parent says and moves a millisecond a ticket.
CHILD = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from kiosk.offline import LeaseExhausted, OfflineBook

book = OfflineBook(Path(sys.argv[1]), "hall")
now = datetime.fromisoformat(sys.argv[2])
while True:
    now += timedelta(milliseconds=1)
    try:
        ticket = book.issue("SOC", "normal", now)
    except LeaseExhausted:
        break
    print(ticket.number, flush=True)
"""


def lease(first: int, last: int, now: datetime) -> dict[str, object]:
    return {
        "id": "0" * 31 + "1",
        "service": "SOC",
        "prefix": "A",
        "business_day": now.date().isoformat(),
        "first": first,
        "last": last,
        "granted_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=2)).isoformat(),
    }


def test_a_kiosk_restarted_offline_keeps_its_lease_and_journal(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "kiosk.sqlite"
    book = OfflineBook(path, "hall")
    book.add_lease(lease(401, 5400, clock.now()))
    book.close()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), clock.now().isoformat()],
        stdout=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert child.stdout is not None
    printed: list[str] = []
    deadline = time.monotonic() + 60
    while len(printed) < 200 and time.monotonic() < deadline:
        printed.append(child.stdout.readline().decode().strip())
    child.send_signal(signal.SIGKILL)  # the power cut
    child.wait()
    printed += [line.strip() for line in child.stdout.read().decode().splitlines()]
    assert len(printed) >= 200

    book = OfflineBook(path, "hall")  # the kiosk starts again, still cut off
    journal = [str(e["number"]) for e in book.entries()]
    assert set(printed) <= set(journal)  # every number a visitor may hold is on record
    assert len(journal) == len(set(journal))
    now = clock.advance(timedelta(minutes=30))  # restarted a while later, same day
    held = book.usable("SOC", now)
    assert len(held) == 1 and held[0].next_seq == 401 + len(journal)
    after = [book.issue("SOC", "normal", now).number for _ in range(5)]
    assert not set(after) & set(journal)
    assert after[0] == f"A{401 + len(journal)}"
    assert book.unreconciled() == len(journal) + 5
