"""The simulator plays one working day after another, each from a hall at rest, and a day's
last visitors are served after its closing. A hall open round the clock (the demo's own hours)
is refused before anything is written; one whose last visitors are still served when the next
day opens stops there, with the days before it whole. Before, the next day's first rating was
refused by the service in the middle of the month ("window 4 has finished another case
since"), and the command ended on a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from hallq.cli import main
from queue_server.config.models import HallConfig
from queue_server.demo import EXAMPLE_CONFIG, demo_hall_config
from queue_server.simulation.inprocess import HallNotAtRest, fill_month
from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Ticket


def _hours(*sessions: tuple[str, str]) -> HallConfig:
    config = demo_hall_config()
    return config.model_copy(update={"hall": config.hall.model_copy(update={"sessions": sessions})})


def test_it_refuses_a_hall_open_round_the_clock_before_writing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    with pytest.raises(HallNotAtRest, match="without closing between them"):
        fill_month(url, _hours(("00:00", "24:00")), "2026-10")
    engine = make_engine(url)
    try:
        assert "tickets" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_it_stops_at_a_day_that_opens_before_the_last_one_is_served(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    # Closed ten minutes a night: the busy demo day's last visitors are served past midnight.
    with pytest.raises(HallNotAtRest, match="filled up to 2026-10-01, nothing from 2026-10-02"):
        fill_month(url, _hours(("00:00", "23:50")), "2026-10")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            days = connection.execute(
                select(Ticket.business_day, func.count()).group_by(Ticket.business_day)
            ).all()
            states = set(connection.scalars(select(Ticket.state).distinct()))
    finally:
        engine.dispose()
    assert [str(day) for day, _ in days] == ["2026-10-01"]
    assert states <= {"finished", "no_show"}  # the first day whole


def test_the_command_says_why_it_filled_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    hours = 'sessions = [["09:00", "12:00"], ["14:00", "18:00"]]'
    assert hours in shipped
    config = tmp_path / "hall.toml"
    config.write_text(shipped.replace(hours, 'sessions = [["00:00", "24:00"]]'), "utf-8")
    database = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    with pytest.raises(SystemExit) as done:
        main(["simulate", "month", "2026-10", "--config", str(config), "--database", database])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "not filled" in err and "needs the hall closed at night" in err
