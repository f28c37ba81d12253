"""Logging in asks for the staff number only, so a staff number is one account in the whole
database: `hallq user add` for a number another hall already uses fails with a message that
names the hall and the rule, and the first account is untouched. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallq.cli import build_parser
from queue_server.domain.access import Role
from tests.support.factories import make_services, small_hall


def hallq(*argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(args.func(args))


def test_hallq_user_add_refuses_a_staff_number_of_another_hall(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = make_services(database_url, small_hall("east"), small_hall("west"))
    services.accounts.create_user("east", "1001", "王芳", Role.CLERK, "a long password")
    secret = tmp_path / "pw"
    secret.write_text("another long one\n", encoding="utf-8")
    capsys.readouterr()
    code = hallq("user", "add", "--database", database_url, "--hall", "west",
                 "--staff-no", "1001", "--name", "李强", "--role", "clerk",
                 "--password-file", str(secret))  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "error: staff number 1001 already has an account in hall east; staff numbers are "
        "unique across all halls of this database (login has no hall field): choose another"
    )
    [only] = services.accounts.list_users()
    assert (only.hall, only.name) == ("east", "王芳")
    assert services.accounts.login("1001", "a long password", "here").user.name == "王芳"
    services.db.engine.dispose()
