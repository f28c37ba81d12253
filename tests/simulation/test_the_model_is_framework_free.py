from __future__ import annotations

import subprocess
import sys

MODEL = [
    "queue_server.queueing.profile",
    "queue_server.queueing.demand",
    "queue_server.queueing.planning",
    "queue_server.queueing.actions",
    "queue_server.queueing.engine",
    "queue_server.queueing.memory",
    "queue_server.queueing.records",
    "queue_server.queueing.erlang",
    "queue_server.queueing.forecast",
    "queue_server.simulation.observed",
]


def test_the_model_imports_no_web_or_database_framework() -> None:
    imports = "; ".join(f"import {m}" for m in MODEL)
    frameworks = ("sqlalchemy", "fastapi", "httpx")
    check = f"import sys; print(sorted(m for m in {frameworks!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", f"{imports}; {check}"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
