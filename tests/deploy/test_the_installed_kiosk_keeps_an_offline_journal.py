"""The kiosk that `hallq install --role kiosk` lays down keeps an offline journal (docs/kiosk.md,
离线取号): one file per seat in its state directory, picked up by `hallq kiosk` from
HALLQ_KIOSK_JOURNAL. Without it a kiosk of the hall waits for the server when the network
is down, and never gives up a request whose answer was lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hallq.cli.parser import build_parser
from tests.deploy.installed import install


def test_each_kiosk_seat_journals_in_its_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tmp_path / "token"
    token.write_text("tok")
    root = tmp_path / "root"
    install(root, "kiosk", "--token-file", str(token), "--server", "http://10.0.0.2:8000",
            "--hall", "east", "--seat", "2")  # fmt: skip
    unit = (root / "etc/systemd/system/hallq-kiosk@.service").read_text()
    state = re.search(r"^StateDirectory=(\S+)$", unit, re.MULTILINE)
    journal = re.search(r"^Environment=HALLQ_KIOSK_JOURNAL=(\S+)$", unit, re.MULTILINE)
    assert state and journal, unit
    path = journal.group(1)
    assert path.startswith(f"/var/lib/{state.group(1)}/"), path  # writable under systemd
    assert "%i" in path  # one journal per seat: two kiosks never share a block's file

    seat_2 = path.replace("%i", "2")
    monkeypatch.setenv("HALLQ_KIOSK_JOURNAL", seat_2)
    args = build_parser().parse_args(["kiosk", "--server", "http://s", "--hall", "east"])
    assert args.offline_journal == seat_2
