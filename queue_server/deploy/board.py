"""`hallq board`: start Chromium in kiosk mode on the hall board page.

The board page itself is public (queue_server/api/access.py), so a board works without a
token. When the unit gives one (credential device-token, read into HALLQ_DEVICE_TOKEN), it
must not end up on Chromium's command line, which every local user can read in the process
list: it goes into a start page only this user can read (RuntimeDirectory, mode 0600), which
hands it to the board page in the URL fragment (#device-token=...) - a fragment is never
sent to the server nor logged - and replaces itself with the board.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

CHROMIUM_FLAGS = (
    "--kiosk",
    "--noerrdialogs",
    "--disable-infobars",
    "--no-first-run",
    "--disable-session-crashed-bubble",
    "--disable-features=Translate",
    "--check-for-update-interval=31536000",
    "--password-store=basic",
    # Calls are spoken as they happen, without anyone touching the screen first.
    "--autoplay-policy=no-user-gesture-required",
    "--ozone-platform=wayland",
)


def board_url(server: str, hall: str) -> str:
    return f"{server.rstrip('/')}/board/{hall}"


def write_start_page(path: Path, url: str, token: str) -> Path:
    target = json.dumps(f"{url}#device-token={token}")
    page = (
        "<!doctype html><meta charset=utf-8><title>hallq</title>"
        f"<script>location.replace({target});</script>"
        f'<noscript><a href="{html.escape(url)}">{html.escape(url)}</a></noscript>\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(page)
    path.chmod(0o600)
    return path


def browser_command(browser: str, profile: Path, start: str) -> list[str]:
    return [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", start]


def launch_command(
    server: str, hall: str, browser: str, profile: Path, start_page: Path, token: str | None
) -> list[str]:
    url = board_url(server, hall)
    start = write_start_page(start_page, url, token).as_uri() if token else url
    return browser_command(browser, profile, start)
