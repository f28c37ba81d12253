"""The hall file is the baseline; what the duty lead decides on the floor holds for the rest of
that business day across server restarts, new workers and CLI runs, and the next business day
starts from the file again (docs/floor-monitor.md). On SQLite and PostgreSQL, in-process: each
`make_services` on the same database is what a new worker or a second server does at start-up.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hallq.cli import main
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from queue_server.services.issuing import IssueRequest
from queue_server.services.snapshot import take_snapshot
from tests.support.auth import PASSWORD, staff_login
from tests.support.factories import OPEN_MORNING, make_services, small_hall
from tests.support.floor_decisions import events_of, floor_rows, small_hall_file

BASELINE = {1: {"SOC": 3, "TAX": 1}, 2: {"TAX": 3}, 3: {"RES": 1, "SOC": 1}}


def decide(services: Services) -> None:
    """The duty lead's morning: window 3 helps with tax, window 2 closes, RES stops issuing."""
    lead = staff_login(services, Role.DUTY_LEAD)
    actions = FloorActions(services.db, services.halls, services.clock)
    actor = Actor(clerk=lead.user_id)
    actions.reassign("test", 3, {"TAX": 2}, actor)
    actions.close_window("test", 2, "系统故障", actor)
    actions.stop_issuing("test", "RES", "系统维护", actor)


def hallq_user_add(
    database_url: str, config: Path, staff_no: str, tmp_path: Path, role: str = "clerk"
) -> None:
    password = tmp_path / f"{staff_no}.pw"
    password.write_text(PASSWORD + "\n")
    argv = ["user", "add", "--config", str(config), "--database", database_url,
            "--hall", "test", "--staff-no", staff_no, "--name", "王芳", "--role", role,
            "--password-file", str(password)]  # fmt: skip
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0


def test_decisions_survive_restarts_and_cli_runs_until_the_day_ends(
    database_url: str, tmp_path: Path
) -> None:
    clock = ManualClock(OPEN_MORNING)
    first = make_services(database_url, small_hall(), clock=clock)
    decide(first)
    decided = {1: {"SOC": 3, "TAX": 1}, 2: {"TAX": 3}, 3: {"TAX": 2}}

    # A respawned worker and a second server process start on the same database ...
    respawned = make_services(database_url, small_hall(), clock=clock)
    second = make_services(database_url, small_hall(), clock=clock)
    # ... and the README's way to add an account reads the same hall file, as does the
    # monthly assessment.
    hall_file = small_hall_file(tmp_path)
    hallq_user_add(database_url, hall_file, "1009", tmp_path)
    with pytest.raises(SystemExit) as assessed:
        main(["assess", "show", "2026-10", "--config", str(hall_file), "--database", database_url])
    assert assessed.value.code == 1  # "2026-10 has not been assessed yet", after reading the file

    for services in (first, respawned, second):
        rows = floor_rows(services.db)
        assert rows.services == decided and rows.closed == {2} and rows.stopped == {"RES"}
        snapshot = take_snapshot(services.db, services.halls, clock, "test")
        assert [w.services for w in snapshot.windows] == [decided[n] for n in (1, 2, 3)]
    # The log and the database agree: the last word on window 3 is the duty lead's.
    [changed] = events_of(second.db, "window.services_changed")
    assert changed.window_no == 3 and changed.payload["services"] == rows.services[3]
    assert events_of(second.db, "hall.config_applied") == []  # the file did not change

    # The next business day starts from the file, in a running worker and in a new one.
    clock.set(OPEN_MORNING + timedelta(days=1))
    assert floor_rows(first.db).services == decided  # nothing read the floor yet
    snapshot = take_snapshot(first.db, first.halls, clock, "test")
    assert [w.services for w in snapshot.windows] == [BASELINE[n] for n in (1, 2, 3)]
    assert all(w.is_open for w in snapshot.windows)
    assert floor_rows(second.db) == floor_rows(first.db)
    rows = floor_rows(make_services(database_url, small_hall(), clock=clock).db)
    assert rows.services == BASELINE and rows.closed == set() and rows.stopped == set()
    for services in (first, respawned, second):
        services.db.engine.dispose()


def test_the_first_call_of_a_new_day_follows_the_file(database_url: str) -> None:
    clock = ManualClock(OPEN_MORNING)
    services = make_services(database_url, small_hall(), clock=clock)
    decide(services)
    clock.set(OPEN_MORNING + timedelta(days=1))
    queue = services.queue
    # Issuing runs again for RES, window 3 calls RES again and window 2 is open again.
    queue.issue("test", IssueRequest(service="RES"))
    queue.issue("test", IssueRequest(service="TAX"))
    at_three = queue.call_next("test", 3)
    at_two = queue.call_next("test", 2)
    assert at_three is not None and at_three.service == "RES"
    assert at_two is not None and at_two.service == "TAX"
    services.db.engine.dispose()
