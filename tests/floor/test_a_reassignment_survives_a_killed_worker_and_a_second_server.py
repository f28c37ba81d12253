"""The issue's run, with real server processes: the duty lead reassigns window 3 over HTTP;
then the worker is killed with SIGKILL and respawned, a second server process starts on the
same database and `hallq user add --config` runs. Window 3 still calls what the duty lead
chose, on both servers, and the log and the database agree. SQLite and PostgreSQL.

The servers run on the system clock (a uvicorn process has no other); nothing here depends
on which day that is, only on all of it happening on one business day.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from queue_server.services.database import Database
from queue_server.storage.engine import make_engine
from tests.floor.test_the_duty_leads_decisions_hold_for_the_day import hallq_user_add
from tests.support.auth import PASSWORD
from tests.support.floor_decisions import events_of, floor_rows, small_hall_file
from tests.support.server_process import ServerProcess

HALL = "/api/v1/halls/test"


def lead_headers(server: ServerProcess) -> dict[str, str]:
    answer = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"staff_no": "2001", "password": PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def window_services(server: ServerProcess) -> dict[int, dict[str, int]]:
    snapshot = httpx.get(f"{server.url}{HALL}/snapshot", timeout=30).json()
    return {w["number"]: w["services"] for w in snapshot["windows"]}


def test_a_reassignment_survives_a_killed_worker_a_second_server_and_the_cli(
    database_url: str, tmp_path: Path
) -> None:
    config = small_hall_file(tmp_path)
    hallq_user_add(database_url, config, "2001", tmp_path, role="duty_lead")
    first = ServerProcess(database_url, config=config, log_path=tmp_path / "first.log")
    second = ServerProcess(database_url, config=config, log_path=tmp_path / "second.log")
    try:
        first.start()
        moved = httpx.put(
            f"{first.url}{HALL}/windows/3/services",
            json={"services": {"TAX": 2}},
            headers=lead_headers(first),
            timeout=30,
        )
        assert moved.status_code == 200, moved.text
        first.kill()
        first.start()  # the respawned worker applies the (unchanged) hall file at start-up
        second.start()
        hallq_user_add(database_url, config, "1011", tmp_path)
        for server in (first, second):
            assert window_services(server)[3] == {"TAX": 2}, server.log_tail()
    finally:
        first.stop()
        second.stop()
    engine = make_engine(database_url)
    try:
        db = Database(engine)
        [changed] = events_of(db, "window.services_changed")
        assert floor_rows(db).services[3] == changed.payload["services"] == {"TAX": 2}
        assert events_of(db, "hall.config_applied") == []
    finally:
        engine.dispose()
