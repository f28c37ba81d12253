"""A database URL that nobody answers at is named as a database problem, with the reason
the driver gives and where the URL lives; a schema behind the code names `hallq db upgrade`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.deploy.installed import doctor, problems
from tests.support.live_server import free_port


def test_unreachable(server_root: Path) -> None:
    secret = server_root / "etc/hallq/secrets/database-url"
    secret.write_text(f"postgresql://hallq:s3cret@127.0.0.1:{free_port()}/hallq\n")
    status, report = doctor(server_root)
    assert status == 1
    [found] = problems(report)
    assert found.startswith("PROBLEM  database:") and "cannot be reached" in found
    assert "s3cret" not in report  # the password is never printed
    assert "secrets/database-url" in report


def test_behind(server_root: Path) -> None:
    with sqlite3.connect(server_root / "var/lib/hallq/hallq.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.close()
    status, report = doctor(server_root)
    assert status == 1
    [found] = problems(report)
    assert "revision 0002" in found and "fix: hallq db upgrade" in report
