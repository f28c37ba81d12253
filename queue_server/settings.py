"""Process settings from the environment (HALLQ_*); the hall itself is in its TOML file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

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
    # Key of the event chain's HMAC; created when missing. Back it up apart from the database:
    # whoever holds it and the database can rewrite the log (docs/reliability.md).
    chain_key_file: str = "var/hallq-chain.key"
    # Ed25519 key that signs chain checkpoints (`hallq audit checkpoint`); created when missing.
    checkpoint_key_file: str = "var/hallq-checkpoint.key"

    # The reverse proxy whose X-Forwarded-For the server believes (docs/deploy.md); empty:
    # none, the connection's own address counts.
    forwarded_allow_ips: str = ""

    def config_paths(self) -> list[Path]:
        return [Path(p) for p in self.config.split(":") if p]
