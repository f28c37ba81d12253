"""The app `hallq serve` runs is built with its start-up heap frozen out of the cyclic garbage
collector (queue_server/api/heap.py): full collections walking every module, route and
configuration object were the 20-70 ms tail of the hot path (docs/benchmarks.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import gc
from queue_server.api.main import app_from_env
before = gc.get_freeze_count()
app_from_env()
print(before, gc.get_freeze_count())
"""


def test_the_served_app_freezes_its_start_up_heap(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.getcwd(),
        "HALLQ_DATABASE_URL": f"sqlite:///{tmp_path / 'hallq.sqlite3'}",
        "HALLQ_AUTO_MIGRATE": "true",
    }
    env.pop("HALLQ_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, after = (int(x) for x in done.stdout.split()[-2:])
    assert before == 0
    assert after > 10_000  # the whole start-up heap, not a handful of objects
