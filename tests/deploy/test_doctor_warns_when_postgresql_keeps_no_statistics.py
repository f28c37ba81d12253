"""`hallq doctor` warns when PostgreSQL gathers no statistics for the queue's tables: with
autovacuum off the planner took an index that walks every ticket a service ever had for each
ticket issued (docs/benchmarks.md). It names what is off, the server's setting or a table's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.deploy.installed import doctor, problems


def _on_postgres(server_root: Path, url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    (server_root / "etc/hallq/secrets/database-url").write_text(url + "\n")


def _server_setting(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW autovacuum")).scalar())
    finally:
        engine.dispose()


def _statistics_line(report: str) -> str:
    [line] = [row.strip() for row in report.splitlines() if "database statistics:" in row]
    return line


def test_it_reports_the_servers_autovacuum_as_it_is(server_root: Path, postgres_url: str) -> None:
    _on_postgres(server_root, postgres_url)
    status, report = doctor(server_root)
    assert status == 0 and problems(report) == [], report  # a warning, not a problem
    line = _statistics_line(report)
    if _server_setting(postgres_url) == "on":
        assert line.startswith("ok"), report
    else:
        assert line.startswith("warning") and "autovacuum is off" in line, report
        assert "ALTER SYSTEM SET autovacuum = on" in report
    assert "for the table" not in line, report


def test_it_names_a_table_kept_from_autovacuum(server_root: Path, postgres_url: str) -> None:
    _on_postgres(server_root, postgres_url)
    engine = make_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE tickets SET (autovacuum_enabled = false)"))
    engine.dispose()
    status, report = doctor(server_root)
    assert status == 0 and problems(report) == [], report  # a warning, not a problem
    line = _statistics_line(report)
    assert line.startswith("warning"), report
    assert "autovacuum is off for the table tickets" in line, report
    assert "for the table events" not in line, report


def test_sqlite_has_no_such_check(server_root: Path) -> None:
    status, report = doctor(server_root)
    assert status == 0, report
    assert "database statistics" not in report, report
