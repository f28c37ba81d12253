"""The roles a machine of the hall plays; `hallq install --role` and `hallq doctor --role`
take one, and pyproject.toml has an extra of the same name for each but the board (a
browser needs nothing of ours beyond the base)."""

from __future__ import annotations

ROLES = ("server", "kiosk", "window", "board")
