"""Under systemd, LoadCredential= puts the database URL and the device token in files in
$CREDENTIALS_DIRECTORY; hallq reads them as if they were HALLQ_DATABASE_URL and
HALLQ_DEVICE_TOKEN, so neither needs to be on a command line or in a unit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hallq.credentials import load_credentials
from queue_server.storage.migrate import head_revision
from tests.deploy.installed import hallq


def test_database_url_from_a_credential(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    database = tmp_path / "from-credential.sqlite3"
    (credentials / "database-url").write_text(f"sqlite:///{database}\n")
    done = hallq("db", "upgrade", env={"CREDENTIALS_DIRECTORY": str(credentials)})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as connection:
        [(revision,)] = connection.execute("SELECT version_num FROM alembic_version")
    connection.close()
    assert revision == head_revision()


def test_a_set_variable_wins(tmp_path: Path) -> None:
    (tmp_path / "device-token").write_text("from-file\n")
    env = {"CREDENTIALS_DIRECTORY": str(tmp_path), "HALLQ_DEVICE_TOKEN": "from-env"}
    assert load_credentials(env) == []
    assert env["HALLQ_DEVICE_TOKEN"] == "from-env"
    del env["HALLQ_DEVICE_TOKEN"]
    assert load_credentials(env) == ["HALLQ_DEVICE_TOKEN"]
    assert env["HALLQ_DEVICE_TOKEN"] == "from-file"
