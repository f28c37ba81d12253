"""The demo names `hallq` as the reader can run it from the demo's folder: `.venv/bin/hallq`
from the checkout after `make demo`, the full path from elsewhere, and the bare name only
when PATH finds this same one (an activated venv)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from queue_server.demo.access import hallq_command
from tests.conftest import need

VENV_BIN = Path(sys.executable).parent


def test_hallq_is_named_by_the_path_that_reaches_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need((VENV_BIN / "hallq").exists(), "hallq is not installed next to this Python")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    from_checkout = hallq_command(VENV_BIN.parent.parent)
    assert from_checkout == os.path.join(VENV_BIN.parent.name, VENV_BIN.name, "hallq")
    from_elsewhere = hallq_command(tmp_path)
    assert from_elsewhere == str(VENV_BIN / "hallq")
    done = subprocess.run([from_elsewhere, "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "demo" in done.stdout
    monkeypatch.setenv("PATH", f"{VENV_BIN}:/usr/bin:/bin")
    assert hallq_command(tmp_path) == "hallq"
