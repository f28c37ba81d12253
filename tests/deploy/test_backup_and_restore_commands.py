"""The commands the timer and the administrator run: `hallq backup` prints the file it
wrote, `hallq restore` loads it into an empty database and prints each hall's chain;
both exit non-zero with the reason when they cannot."""

from __future__ import annotations

import os
from pathlib import Path

from queue_server.api.deps import Services
from tests.deploy.hall_day import a_busy_morning, counts
from tests.deploy.installed import hallq


def test_commands(sqlite_url: str, services: Services, tmp_path: Path) -> None:
    a_busy_morning(services)
    made = hallq("backup", "--database", sqlite_url, "--dir", str(tmp_path / "b"), "--keep", "2")
    assert made.returncode == 0, made.stderr
    saved = Path(made.stdout.strip())
    assert saved.parent == tmp_path / "b" and saved.name.startswith("hallq-")

    target = f"sqlite:///{tmp_path}/restored.sqlite3"
    # hallq() starts from a clean environment: without the test's chain key the restore would
    # check the chain with var/hallq-chain.key of the checkout, whatever test made it last.
    key = {"HALLQ_CHAIN_KEY_FILE": os.environ["HALLQ_CHAIN_KEY_FILE"]}
    restored = hallq("restore", str(saved), "--database", target, env=key)
    assert restored.returncode == 0, restored.stderr
    events = counts(services)[1]
    assert f"hall test: {events} events, chain intact" in restored.stdout

    again = hallq("restore", str(saved), "--database", target, env=key)
    assert again.returncode == 1
    assert "already holds a hallq database" in again.stderr
    missing = hallq("backup", "--database", f"sqlite:///{tmp_path}/none.sqlite3", "--dir", "x")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
