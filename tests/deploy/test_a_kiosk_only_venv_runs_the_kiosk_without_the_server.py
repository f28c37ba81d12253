"""A kiosk installs `hallq[kiosk]` only (`hallq install --role kiosk`): in a venv holding just
that extra's packages, `hallq kiosk --help` answers and the kiosk app starts (headless,
against a server that is not there), and nothing of the server is imported or even needed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need
from tests.support.role_venv import NotInstalled, build_role_venv

CHECKOUT = Path(__file__).resolve().parents[2]
SERVER_SIDE = ("queue_server", "sqlalchemy", "fastapi", "alembic", "uvicorn", "matplotlib")

# Run inside the kiosk venv: the command's parser, the kiosk command's module, and the app
# on a headless screen; then which server-side modules got imported.
PROBE = """
import asyncio, contextlib, io, json, sys

from hallq.cli import main

help_text = io.StringIO()
with contextlib.redirect_stdout(help_text), contextlib.suppress(SystemExit):
    main(["kiosk", "--help"])

import hallq.cli.kiosk  # what `hallq kiosk` runs
from hallq_client import HallqClient
from kiosk.app import KioskApp, system_clock
from kiosk.settings import KioskSettings
from printers import PrintWorker
from printers.transports import DummyTransport


async def start() -> str:
    settings = KioskSettings(server="http://127.0.0.1:9", hall="demo", voice=False)
    client = HallqClient(settings.server, settings.hall)
    printer = PrintWorker(DummyTransport(), clock=system_clock)
    try:
        app = KioskApp(settings, client, printer)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause(0.3)
            return type(app.screen).__name__
    finally:
        await client.aclose()
        printer.close()


screen = asyncio.run(start())
roots = {name.split(".")[0] for name in sys.modules}
print(json.dumps({"help": help_text.getvalue(), "screen": screen, "roots": sorted(roots)}))
"""


@pytest.fixture(scope="module")
def kiosk_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return build_role_venv(tmp_path_factory.mktemp("kiosk") / "venv", CHECKOUT, "kiosk")
    except (NotInstalled, subprocess.CalledProcessError) as exc:
        need(False, f"cannot build a kiosk-only venv here: {exc}")
        raise  # not reached


def test_the_kiosk_runs_from_its_own_extra(kiosk_python: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(kiosk_python), "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "--printer" in seen["help"] and "usage: hallq kiosk" in seen["help"]
    assert seen["screen"]  # the app mounted a screen
    assert [name for name in SERVER_SIDE if name in seen["roots"]] == []


def test_the_server_side_is_not_there_to_import(kiosk_python: Path, tmp_path: Path) -> None:
    """The venv holds the kiosk's extra only: a server import would fail on a kiosk."""
    done = subprocess.run(
        [str(kiosk_python), "-c", "import sqlalchemy"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert done.returncode != 0 and "No module named 'sqlalchemy'" in done.stderr
