"""Process settings from the environment (HALLQ_*); the hall itself is in its TOML file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from queue_server.domain.clock import AcceleratedClock, Clock, SystemClock

DEFAULT_DATABASE = "sqlite:///var/hallq.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALLQ_", extra="ignore")

    database_url: str = DEFAULT_DATABASE
    # Hall TOML files, separated by ":" in the environment variable.
    config: str = ""
    # Where visitors' phones reach this server (QR codes on receipts).
    public_url: str = "http://127.0.0.1:8000"
    auto_migrate: bool = True
    # Key of the ID-number hash of bookings; created (random, mode 0600) when missing.
    id_key_file: str = "var/hallq-id.key"
    # An ISO instant with its offset (2027-02-05T09:30:00+08:00): the process's clock starts
    # there and runs at the real pace. For rehearsals of a given day and for tests of commands
    # run in a subprocess; empty in a real hall.
    clock_start: str = ""
    # Key of the event chain's HMAC; created when missing. Back it up apart from the database:
    # whoever holds it and the database can rewrite the log (docs/reliability.md).
    chain_key_file: str = "var/hallq-chain.key"
    # Ed25519 key that signs chain checkpoints (`hallq audit checkpoint`); created when missing.
    checkpoint_key_file: str = "var/hallq-checkpoint.key"
    # Where `hallq assess close` and `hallq report month` write the signed checkpoint of the
    # chain head they print (copy the files off the machine with the backups).
    checkpoint_dir: str = "var/checkpoints"

    # The reverse proxy whose X-Forwarded-For the server believes (docs/deploy.md); empty:
    # none, the connection's own address counts.
    forwarded_allow_ips: str = ""

    def config_paths(self) -> list[Path]:
        return [Path(p) for p in self.config.split(":") if p]


def process_clock(settings: Settings | None = None) -> Clock:
    """The one clock of a server or CLI process: the wall clock, or HALLQ_CLOCK_START's."""
    start = (settings or Settings()).clock_start.strip()
    if not start:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(start)
    except ValueError:
        raise ValueError(
            f"HALLQ_CLOCK_START={start!r} is not an ISO instant like 2027-02-05T09:30:00+08:00"
        ) from None
    if instant.tzinfo is None:
        raise ValueError(f"HALLQ_CLOCK_START={start!r} needs a UTC offset, e.g. +08:00")
    return AcceleratedClock(instant, 1.0)
