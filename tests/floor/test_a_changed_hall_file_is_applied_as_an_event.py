"""A changed hall file changes the baseline only when applied (`hallq hall apply`, or serve's
start-up), as one `hall.config_applied` event with the file's digest and what changed; a CLI
command that merely reads the file never applies it; a window the duty lead decided about
today keeps the decision until the day ends, and start-up says so. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from hallq.cli import main
from queue_server.config import load_hall_config
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from queue_server.services.halls import HallRegistry, apply_hall_files, arrangement_of
from tests.floor.test_the_duty_leads_decisions_hold_for_the_day import hallq_user_add
from tests.support.auth import staff_login
from tests.support.factories import OPEN_MORNING, make_services, small_hall
from tests.support.floor_decisions import events_of, floor_rows, small_hall_file


def changed_file(folder: Path, window_1: str, window_3: str) -> Path:
    """The small hall with other services on windows 1 and 3."""
    path = small_hall_file(folder)
    text = path.read_text()
    text = text.replace("services = { SOC = 3, TAX = 1 }", f"services = {window_1}")
    text = text.replace("services = { RES = 1, SOC = 1 }", f"services = {window_3}")
    changed = folder / "changed.toml"
    changed.write_text(text)
    return changed


def hallq(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    return int(done.value.code or 0)


def test_a_changed_file_is_applied_as_an_event_and_keeps_todays_decisions(
    database_url: str, tmp_path: Path
) -> None:
    clock = ManualClock(OPEN_MORNING)
    services = make_services(database_url, small_hall(), clock=clock)
    lead = staff_login(services, Role.DUTY_LEAD)
    FloorActions(services.db, services.halls, clock).reassign(
        "test", 3, {"TAX": 2}, Actor(clerk=lead.user_id)
    )
    changed = changed_file(tmp_path, "{ SOC = 1, TAX = 1 }", "{ RES = 2, SOC = 1 }")

    # Reading the changed file to add an account applies nothing.
    hallq_user_add(database_url, changed, "1010", tmp_path)
    assert floor_rows(services.db).services[1] == {"SOC": 3, "TAX": 1}
    assert events_of(services.db, "hall.config_applied") == []

    [result] = apply_hall_files(services.db, HallRegistry([load_hall_config(changed)]), clock)
    assert [c.split(":")[0] for c in result.changes] == ["window 1 services", "window 3 services"]
    assert len(result.conflicts) == 1 and result.conflicts[0].startswith("window 3:")
    rows = floor_rows(services.db)
    assert rows.services[1] == {"SOC": 1, "TAX": 1}  # no decision today: follows the file
    assert rows.services[3] == {"TAX": 2}  # the duty lead's decision holds today
    [applied] = events_of(services.db, "hall.config_applied")
    assert applied.payload["digest"] == arrangement_of(load_hall_config(changed)).digest()
    assert applied.payload["was"] == arrangement_of(small_hall()).digest()
    assert {(c["subject"], c["key"], c["what"]) for c in applied.payload["changes"]} == {
        ("window", "1", "services"),
        ("window", "3", "services"),
    }
    assert applied.payload["kept_today"] == result.conflicts

    # Applying the same file again, or serving it, writes nothing more.
    [again] = apply_hall_files(services.db, HallRegistry([load_hall_config(changed)]), clock)
    assert not again.changed
    restarted = make_services(database_url, load_hall_config(changed), clock=clock)
    assert len(events_of(restarted.db, "hall.config_applied")) == 1

    # The next business day starts from the file as applied.
    clock.set(OPEN_MORNING + timedelta(days=1))
    restarted.queue.call_next("test", 3)
    assert floor_rows(restarted.db).services[3] == {"RES": 2, "SOC": 1}
    for built in (services, restarted):
        built.db.engine.dispose()


def test_hallq_hall_apply_prints_what_changed_once(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = make_services(database_url, small_hall())
    changed = changed_file(tmp_path, "{ SOC = 1, TAX = 1 }", "{ RES = 1, SOC = 1 }")
    capsys.readouterr()
    assert hallq("hall", "apply", "--config", str(changed), "--database", database_url) == 0
    out = capsys.readouterr().out
    assert "window 1 services: {'SOC': 3, 'TAX': 1} -> {'SOC': 1, 'TAX': 1}" in out
    assert floor_rows(services.db).services[1] == {"SOC": 1, "TAX": 1}
    assert hallq("hall", "apply", "--config", str(changed), "--database", database_url) == 0
    assert "already the baseline" in capsys.readouterr().out
    assert len(events_of(services.db, "hall.config_applied")) == 1
    broken = tmp_path / "broken.toml"
    broken.write_text("[hall]\nid = 1\n")
    assert hallq("hall", "apply", "--config", str(broken), "--database", database_url) == 2
    services.db.engine.dispose()


def test_serve_says_at_start_up_when_the_file_conflicts_with_todays_decisions(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(OPEN_MORNING)
    services = make_services(database_url, small_hall(), clock=clock)
    lead = staff_login(services, Role.DUTY_LEAD)
    FloorActions(services.db, services.halls, clock).reassign(
        "test", 3, {"TAX": 2}, Actor(clerk=lead.user_id)
    )
    changed = changed_file(tmp_path, "{ SOC = 3, TAX = 1 }", "{ RES = 3 }")
    with caplog.at_level(logging.WARNING, logger="queue_server.services.halls"):
        restarted = make_services(database_url, load_hall_config(changed), clock=clock)
    assert any("window 3" in r.getMessage() for r in caplog.records)
    assert floor_rows(restarted.db).services[3] == {"TAX": 2}
    [applied] = events_of(restarted.db, "hall.config_applied")
    assert applied.payload["changes"][0]["now"] == {"RES": 3}
    for built in (services, restarted):
        built.db.engine.dispose()
