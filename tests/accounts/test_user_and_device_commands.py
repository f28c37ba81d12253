"""`hallq user add|list|disable|reset-password` and `hallq device add|list|revoke`, run as
the CLI runs them, against the database the server uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallq.cli import build_parser
from queue_server.api.deps import Services
from queue_server.services.errors import Unauthenticated


def hallq(*argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(args.func(args))


def test_user_commands(
    services: Services, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long password\n", encoding="utf-8")
    db = ("--database", sqlite_url)
    assert hallq("user", "add", *db, "--hall", "test", "--staff-no", "1001", "--name",
                 "王芳", "--role", "clerk", "--password-file", str(secret)) == 0  # fmt: skip
    assert "added clerk 1001 王芳 in hall test" in capsys.readouterr().out
    assert services.accounts.login("1001", "a long password", "here").user.name == "王芳"

    assert hallq("user", "add", *db, "--hall", "test", "--staff-no", "1001", "--name",
                 "again", "--role", "clerk", "--password-file", str(secret)) == 1  # fmt: skip
    assert "already has an account" in capsys.readouterr().err

    assert hallq("user", "list", *db, "--hall", "test") == 0
    assert "1001" in capsys.readouterr().out

    secret.write_text("another long one\n", encoding="utf-8")
    assert hallq("user", "reset-password", *db, "1001", "--password-file", str(secret)) == 0
    assert services.accounts.login("1001", "another long one", "here").token

    assert hallq("user", "disable", *db, "1001") == 0
    with pytest.raises(Unauthenticated):
        services.accounts.login("1001", "another long one", "here")
    capsys.readouterr()
    assert hallq("user", "list", *db) == 0
    assert "disabled" in capsys.readouterr().out


def test_device_commands(
    services: Services, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", sqlite_url)
    assert hallq("device", "add", *db, "--hall", "test", "--kind", "display", "--window", "3") == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    assert token.startswith("hqd_")
    assert "added display 'display-3' at window 3" in out
    assert hallq("device", "list", *db, "--hall", "test") == 0
    assert "display-3" in capsys.readouterr().out
    assert hallq("device", "revoke", *db, "--hall", "test", "display-3") == 0
    assert hallq("device", "list", *db) == 0
    assert "revoked" in capsys.readouterr().out
    assert hallq("device", "add", *db, "--hall", "test", "--kind", "display") == 1
    assert "give --window" in capsys.readouterr().err
