"""`hallq board` (the hall board unit's ExecStart) starts Chromium in kiosk mode on the board
page; the device token from the credential reaches the page through a start page only the
service user can read, and never appears in Chromium's arguments."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.deploy.installed import hallq

TOKEN = "board-token-5ecret"


def test_token_in_a_private_start_page(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "device-token").write_text(TOKEN)
    start = tmp_path / "run/start.html"
    done = hallq("board", "--server", "http://10.0.0.2:8000", "--hall", "east",
                 "--start-page", str(start), "--profile", str(tmp_path / "profile"),
                 "--print-only", env={"CREDENTIALS_DIRECTORY": str(credentials)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    command = done.stdout.split()
    assert TOKEN not in done.stdout
    assert command[0] == "chromium" and "--kiosk" in command
    assert command[-1] == start.as_uri()
    page = start.read_text()
    assert f'"http://10.0.0.2:8000/board/east#device-token={TOKEN}"' in page
    assert stat.S_IMODE(start.stat().st_mode) == 0o600


def test_without_a_token_it_opens_the_board(tmp_path: Path) -> None:
    done = hallq("board", "--server", "http://10.0.0.2:8000/", "--hall", "east",
                 "--start-page", str(tmp_path / "s.html"), "--print-only")  # fmt: skip
    assert done.stdout.split()[-1] == "http://10.0.0.2:8000/board/east"
    assert not (tmp_path / "s.html").exists()
