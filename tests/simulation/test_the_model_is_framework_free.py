from __future__ import annotations

import subprocess
import sys

MODEL = [
    "profile",
    "demand",
    "planning",
    "actions",
    "engine",
    "memory",
    "records",
    "erlang",
    "forecast",
    "observed",
]


def test_the_model_imports_no_web_or_database_framework() -> None:
    imports = "; ".join(f"import queue_server.simulation.{m}" for m in MODEL)
    frameworks = ("sqlalchemy", "fastapi", "httpx")
    check = f"import sys; print(sorted(m for m in {frameworks!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", f"{imports}; {check}"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
