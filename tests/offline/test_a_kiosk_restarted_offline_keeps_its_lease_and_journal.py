"""A power cut while offline: a kiosk process issuing from its lease is SIGKILLed mid-stream;
the restarted kiosk opens the same journal file, still holds its lease, has every number it
handed out on record, and goes on with the next one, never a number twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.offline import OfflineBook
from tests.support.server_process import REPO

# The child prints each number only after issue() returned, i.e. after the journal's commit:
# what it printed is what a visitor may hold on paper.
CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from kiosk.offline import OfflineBook

book = OfflineBook(Path(sys.argv[1]), "hall")
while True:
    try:
        ticket = book.issue("SOC", "normal", datetime.now(UTC))
    except LeaseExhausted:
        break
    print(ticket.number, flush=True)
"""


def lease(first: int, last: int) -> dict[str, object]:
    now = datetime.now(UTC)
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


def test_a_kiosk_restarted_offline_keeps_its_lease_and_journal(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite"
    book = OfflineBook(path, "hall")
    book.add_lease(lease(401, 5400))
    book.close()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, cwd=REPO, env=env
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
    now = datetime.now(UTC)
    held = book.usable("SOC", now)
    assert len(held) == 1 and held[0].next_seq == 401 + len(journal)
    after = [book.issue("SOC", "normal", now).number for _ in range(5)]
    assert not set(after) & set(journal)
    assert after[0] == f"A{401 + len(journal)}"
    assert book.unreconciled() == len(journal) + 5
