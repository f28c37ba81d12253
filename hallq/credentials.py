"""Secrets from systemd credentials (LoadCredential=) into the settings' environment.

The units hand the database URL and a device's token to hallq as files in
$CREDENTIALS_DIRECTORY, readable only by the service; this copies them into the variables
the commands already read (HALLQ_DATABASE_URL, HALLQ_DEVICE_TOKEN), so neither ever appears
on a command line or in a unit file. A variable that is already set wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

CREDENTIALS = {"database-url": "HALLQ_DATABASE_URL", "device-token": "HALLQ_DEVICE_TOKEN"}


def load_credentials(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Set each variable from its credential file when present; return the names set."""
    directory = environ.get("CREDENTIALS_DIRECTORY")
    if not directory:
        return []
    loaded = []
    for name, variable in CREDENTIALS.items():
        path = Path(directory) / name
        if variable not in environ and path.is_file():
            environ[variable] = path.read_text(encoding="utf-8").strip()
            loaded.append(variable)
    return loaded
