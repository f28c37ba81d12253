"""`hallq install --role R` installs the checkout with R's extra only: a kiosk does not get
the server's libraries, a server on PostgreSQL gets its driver, a board the base."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.support.hallq_command import hallq

CHECKOUT = Path(__file__).resolve().parents[2]


def pip_line(role: str, *extra: str) -> str:
    done = hallq(
        "install", "--role", role, "--dry-run", "--hallq", "/opt/hallq/venv/bin/hallq", *extra,
        timeout=60, check=True,
    )  # fmt: skip
    return next(line for line in done.stdout.splitlines() if " -m pip install " in line)


@pytest.mark.parametrize(
    ("role", "args", "target"),
    [
        ("kiosk", (), f"{CHECKOUT}[kiosk]"),
        ("window", (), f"{CHECKOUT}[window]"),
        ("server", (), f"{CHECKOUT}[server]"),
        ("server", ("--database", "postgresql+psycopg://hallq@db/hallq"),
         f"{CHECKOUT}[server,postgres]"),
        ("board", (), f"{CHECKOUT}"),
    ],
)  # fmt: skip
def test_each_role_installs_its_extra(role: str, args: tuple[str, ...], target: str) -> None:
    line = pip_line(role, *args)
    assert line.split()[1] == "/opt/hallq/venv/bin/python"
    assert line.split()[-1] == target


def test_the_extras_exist_and_the_kiosks_leaves_the_server_out() -> None:
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert {"server", "kiosk", "window", "postgres", "dev"} <= set(extras)
    kiosk = " ".join([*project["dependencies"], *extras["kiosk"]]).lower()
    for server_only in ("fastapi", "sqlalchemy", "matplotlib", "openpyxl", "fpdf2", "uvicorn"):
        assert server_only not in kiosk
