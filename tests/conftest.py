"""Fixtures shared by the whole suite: databases (SQLite files and PostgreSQL), servers."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.support.api import Api
from tests.support.auth import duty_lead_headers
from tests.support.factories import OPEN_MORNING, TEST_CHAIN_KEY, make_services, small_hall
from tests.support.live_server import LiveServer, live_server

IN_CI = os.environ.get("CI", "").lower() == "true"

# Servers and commands the tests start find the chain key the in-process services use, and
# never create one in var/ of the checkout.
_CHAIN_KEY_FILE = Path(tempfile.mkdtemp(prefix="hallq-test-keys-")) / "chain.key"
_CHAIN_KEY_FILE.write_bytes(TEST_CHAIN_KEY + b"\n")
os.environ["HALLQ_CHAIN_KEY_FILE"] = str(_CHAIN_KEY_FILE)
os.environ.setdefault("HALLQ_CHECKPOINT_KEY_FILE", str(_CHAIN_KEY_FILE.with_name("checkpoint.key")))
# Commands that sign a checkpoint by themselves (assess close, report month) write it here,
# not into the worktree's var/.
os.environ.setdefault("HALLQ_CHECKPOINT_DIR", str(_CHAIN_KEY_FILE.with_name("checkpoints")))
# Nor do they build voice clips into var/voice of the checkout (two workers' servers wrote the
# same manifest at once): a test that needs clips makes them in its own folder, and
# tests/voice/test_a_server_builds_its_voice_clips_on_start.py starts one that builds them.
os.environ.setdefault("HALLQ_LIVE_VOICE_AUTOBUILD", "false")


# Packages whose tests share one package-scoped bed (tests/scale: the city of 100 halls).
SHARED_BEDS = ("tests/scale/",)
# The longest files (`make test` prints the slowest tests): started first, so that no worker
# is left with a two-minute file after the other has run out of work.
LONGEST_FIRST = (
    "tests/reliability/test_the_fuzzer_finds_no_server_error.py",
    "tests/scale/",
    "tests/kiosk/test_every_screen_fits_every_kiosk_size.py",
    "tests/concurrency/test_it_calls_each_ticket_once_from_many_windows.py",
    "tests/floor/test_a_reassignment_survives_a_killed_worker_and_a_second_server.py",
    "tests/printers/test_it_prints_a_whole_receipt_over_a_9600_baud_serial_line.py",
    "tests/reliability/test_a_closed_month_is_anchored_outside_the_database.py",
    "tests/reliability/test_a_busy_day_keeps_every_invariant.py",
)


def _group(item: pytest.Item) -> str:
    path = item.nodeid.split("::", 1)[0]
    return next((bed for bed in SHARED_BEDS if path.startswith(bed)), path)


def _rank(group: str) -> int:
    return next(
        (n for n, prefix in enumerate(LONGEST_FIRST) if group.startswith(prefix)),
        len(LONGEST_FIRST),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `make test` (pytest-xdist, --dist loadgroup) a file's tests run on one worker, so
    its module fixtures (a shared server, a database per engine) are built once, and a
    package in SHARED_BEDS runs whole on one worker, in file order. Runs before xdist's own
    hook, which reads the groups. The order inside a file is never changed."""
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=lambda item: _rank(_group(item)))  # stable: file order kept within a rank


def need(condition: bool, reason: str) -> None:
    """Skip with a reason when a real part is absent, but fail instead in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the migrations once; each test starts from a copy of the result."""
    path = tmp_path_factory.mktemp("template") / "hallq.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    assert not path.with_name("hallq.sqlite3-wal").exists()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    target = tmp_path / "hallq.sqlite3"
    shutil.copyfile(migrated_sqlite_template, target)
    return f"sqlite:///{target}"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL, dropped afterwards."""
    base = os.environ.get("HALLQ_TEST_POSTGRES_URL")
    need(bool(base), "HALLQ_TEST_POSTGRES_URL is not set (PostgreSQL tests need it)")
    assert base is not None
    url = make_url(base)
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        need(False, f"PostgreSQL at {url.render_as_string()} is not reachable: {exc}")
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL for each test, dropped afterwards."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    migrated_sqlite_template: Path,
) -> Iterator[str]:
    """One database per engine shared by the tests of a module: for test beds that start
    server processes, whose start-up is the cost (the tests must not depend on each other)."""
    if request.param == "postgres":
        with postgres_schema() as url:
            yield url
        return
    target = tmp_path_factory.mktemp("module-db") / "hallq.sqlite3"
    shutil.copyfile(migrated_sqlite_template, target)
    yield f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a test on both engines."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(OPEN_MORNING)


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


@pytest.fixture
def services_any(database_url: str, clock: ManualClock) -> Iterator[Services]:
    """The small hall's services, once on SQLite and once on PostgreSQL."""
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


@pytest.fixture
def server(services: Services) -> Iterator[LiveServer]:
    with live_server(create_app(services)) as running:
        yield running


@pytest.fixture
def api(server: LiveServer, services: Services) -> Iterator[Api]:
    """The API as the duty lead, who may take numbers and act at every window."""
    client = Api(server.url, headers=duty_lead_headers(services))
    yield client
    client.http.close()
