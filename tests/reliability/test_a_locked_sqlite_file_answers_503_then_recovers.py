"""Another process holds the SQLite file with BEGIN EXCLUSIVE: writes answer a clear 503 with
Retry-After while it lasts (reads still work, WAL), nothing is half-written, and the same
requests succeed once the lock is gone."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from tests.support.busy_day import HALL, Prepared
from tests.support.invariants import check_database
from tests.support.server_process import ServerProcess

LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


@contextmanager
def exclusive_lock(path: str) -> Iterator[None]:
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdin is not None
    try:
        assert locker.stdout.readline().strip() == "locked"
        yield
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)


def test_a_locked_sqlite_file_answers_503_then_recovers(
    sqlite_url: str, prepared_sqlite: Prepared, tmp_path: Path
) -> None:
    prepared = prepared_sqlite
    path = make_url(sqlite_url).database
    assert path is not None
    server = ServerProcess(
        sqlite_url,
        config=prepared.config_path,
        log_path=tmp_path / "server.log",
        extra_env={"HALLQ_SQLITE_BUSY_MS": "300"},
    )
    kiosk = {"Authorization": f"Bearer {prepared.tokens.kiosks[0]}"}
    clerk = {"Authorization": f"Bearer {prepared.tokens.clerks[1]}"}
    api = f"/api/v1/halls/{HALL}"
    with server, httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.post(f"{api}/windows/1/sign-in", headers=clerk).status_code == 200
        first = http.post(f"{api}/tickets", json={"service": "SOC"}, headers=kiosk)
        assert first.status_code == 201

        with exclusive_lock(path):
            refused = [
                http.post(
                    f"{api}/tickets",
                    json={"service": "SOC"},
                    headers={**kiosk, "Idempotency-Key": "during-the-lock"},
                )
                for _ in range(3)
            ]
            refused.append(http.post(f"{api}/windows/1/call-next", headers=clerk))
            snapshot = http.get(f"{api}/snapshot")

        for response in refused:
            assert response.status_code == 503, response.text
            assert int(response.headers["Retry-After"]) >= 1
            body = response.json()
            assert body["error"] == "unavailable"
            assert "locked" in body["message"] and "retry" in body["message"]
        assert snapshot.status_code == 200  # readers are not blocked by a writer (WAL)

        again = http.post(
            f"{api}/tickets",
            json={"service": "SOC"},
            headers={**kiosk, "Idempotency-Key": "during-the-lock"},
        )
        assert again.status_code == 201
        assert again.json()["number"] == "A002"  # the refused attempts used up no number
        called = http.post(f"{api}/windows/1/call-next", headers=clerk)
        assert called.status_code == 200 and called.json()["number"] == "A001"

    acknowledged = {first.json()["id"]: "A001", again.json()["id"]: "A002"}
    check = check_database(sqlite_url, HALL, acknowledged)
    assert not check.problems, check.problems
    assert check.tickets == 2
    assert [e.kind for e in check.log][-3:] == ["ticket.issued", "ticket.issued", "ticket.called"]
