from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from hallq.cli import main
from queue_server.services.database import Database
from queue_server.services.event_log import verify_chain
from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Ticket
from tests.support.factories import SMALL_HALL


@pytest.fixture
def hall_file(tmp_path: Path) -> Path:
    path = tmp_path / "hall.toml"
    path.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), "utf-8")
    return path


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    return int(done.value.code or 0)


def test_simulate_day_prints_the_summary(
    hall_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("simulate", "day", "--config", str(hall_file), "--date", "2026-11-25") == 0
    out = capsys.readouterr().out
    assert "2026-11-25 hall test seed 0: issued" in out and "last finish" in out
    assert run("simulate", "day", "--config", str(hall_file), "--date", "2026-11-28") == 1


def test_simulate_month_fills_the_database(
    hall_file: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["simulate", "month", "2026-11", "--database", sqlite_url, "--config", str(hall_file)]
    assert run(*argv, "--volume-scale", "0.05", "--seed", "3") == 0
    out = capsys.readouterr().out
    assert "21 working days" in out
    db = Database(make_engine(sqlite_url))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Ticket))
        assert verify_chain(session, "test")[1] is None
    db.engine.dispose()
    # A month already there is not filled twice.
    assert run(*argv) == 1
    assert "not filled" in capsys.readouterr().err
    assert run("simulate", "month", "November", "--database", sqlite_url) == 2
