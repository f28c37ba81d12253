"""Hall configuration: TOML files validated at start-up."""

from queue_server.config.loader import ConfigError, load_hall_config, load_hall_configs
from queue_server.config.models import HallConfig, ServiceConfig, WindowConfig

__all__ = [
    "ConfigError",
    "HallConfig",
    "ServiceConfig",
    "WindowConfig",
    "load_hall_config",
    "load_hall_configs",
]
