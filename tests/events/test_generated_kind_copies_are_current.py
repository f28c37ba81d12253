"""The board's and the apps' copies of the catalogue are what the export script writes now."""

from __future__ import annotations

import subprocess
import sys

from queue_server.domain.events import EventKind
from tests.events.catalogue_scan import ROOT


def test_the_copies_match_the_catalogue() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "export_event_kinds.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_the_apps_copy_has_every_kind() -> None:
    from hallq_client.event_kinds import EventKind as ClientKind

    assert {k.name: k.value for k in ClientKind} == {k.name: k.value for k in EventKind}
