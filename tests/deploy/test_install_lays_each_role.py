"""`hallq install --role R --root DIR` writes that role's units, the sysusers entry (user
hallq, group hallq-printer), /etc/hallq with secrets readable by root only, and keeps every
secret off the units' command lines."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tests.deploy.installed import install

EXPECTED = {
    "server": {"hallq-server.service", "hallq-backup.service", "hallq-backup.timer",
               "hallq-retention.service", "hallq-retention.timer",
               "hallq-checkpoint.service", "hallq-checkpoint.timer",
               "hallq-month-pass.service", "hallq-month-pass.timer"},
    "kiosk": {"hallq-kiosk@.service"},
    "window": {"hallq-display@.service", "hallq-console@.service"},
    "board": {"hallq-board.service"},
}  # fmt: skip
SECRET_DATABASE = "postgresql://hallq:pa55word@db.example/hallq"
SECRET_TOKEN = "tok-123-secret"


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role(role: str, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text(SECRET_TOKEN)
    root = tmp_path / "root"
    install(root, role, "--database", SECRET_DATABASE, "--token-file", str(token),
            "--server", "http://10.0.0.2:8000", "--hall", "east", "--seat", "2")  # fmt: skip
    units = root / "etc/systemd/system"
    assert {p.name for p in units.iterdir()} == EXPECTED[role]
    hallq = str(Path(sys.executable).parent / "hallq")
    for unit in units.iterdir():
        text = unit.read_text()
        assert SECRET_DATABASE not in text and SECRET_TOKEN not in text
        if unit.suffix == ".service":
            assert f"{hallq} " in text, unit.name
    sysusers = (root / "etc/sysusers.d/hallq.conf").read_text()
    assert "u hallq " in sysusers and "m hallq hallq-printer" in sysusers
    env = (root / "etc/hallq/hallq.env").read_text()
    assert f"HALLQ_ROLE={role}" in env
    assert SECRET_DATABASE not in env and SECRET_TOKEN not in env
    secrets = root / "etc/hallq/secrets"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    for secret in secrets.iterdir():
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    expected_secret = {"server": "database-url", "kiosk": "kiosk-2.token",
                       "window": "display-2.token", "board": "board.token"}[role]  # fmt: skip
    assert [p.name for p in secrets.iterdir()] == [expected_secret]
    if role == "server":
        assert "HALLQ_WORKERS=4" in env  # PostgreSQL: several workers
    else:
        assert "HALLQ_SERVER=http://10.0.0.2:8000" in env and "HALLQ_HALL=east" in env
