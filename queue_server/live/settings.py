"""Knobs of the live event stream and the hall board's voice (HALLQ_LIVE_*)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LiveSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALLQ_LIVE_", extra="ignore")

    # Screens show "offline" after missing about two heartbeats.
    heartbeat_seconds: float = Field(15.0, gt=0)
    # A client further behind than this gets a snapshot instead of a replay.
    replay_limit: int = Field(1000, ge=1)
    # Events waiting to be sent to one client; past this it gets a snapshot instead.
    queue_size: int = Field(256, ge=1)
    # Anything a client sends larger than this closes its connection (1009).
    max_client_message: int = Field(4096, ge=64)
    # Pre-recorded voice clips (`hallq voice build`), served to the hall board.
    voice_dir: Path = Path("var/voice")
    # Generate missing clips in the background at startup when espeak-ng is installed.
    voice_autobuild: bool = True
