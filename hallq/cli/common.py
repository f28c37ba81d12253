"""What the database commands share: the hall files they read and the database they open."""

from __future__ import annotations

from collections.abc import Sequence

from queue_server.composition import HallFiles, Services, open_services
from queue_server.config import HallConfig, load_hall_config, load_hall_configs
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.settings import Settings

NO_HALL_FILE = "no hall configuration given (--config FILE or HALLQ_CONFIG)"


def database_url(given: str | None) -> str:
    return given or Settings().database_url


def hall_paths(given: Sequence[str] | None) -> list[str]:
    """--config, else HALLQ_CONFIG."""
    return [str(p) for p in (given or Settings().config_paths())]


def configs_or_demo(given: Sequence[str] | None) -> list[HallConfig]:
    """--config, else HALLQ_CONFIG, else the demo hall with its real opening hours (the
    running demo opens around the clock, which would make every hour outside 09:00-18:00
    "unattended" in a report or an assessment)."""
    chosen = hall_paths(given)
    return load_hall_configs(chosen) if chosen else [load_hall_config(EXAMPLE_CONFIG)]


def open_database(
    given: str | None,
    halls: Sequence[HallConfig] = (),
    *,
    migrate: bool,
    hall_files: HallFiles = HallFiles.IGNORE,
    chain_key: bytes | None = None,
) -> Services:
    """The database named by --database (else HALLQ_DATABASE_URL), as services."""
    return open_services(
        database_url(given), halls, migrate=migrate, hall_files=hall_files, chain_key=chain_key
    )
