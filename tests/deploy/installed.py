"""Installations made by `hallq install --root`, and `hallq doctor` run on them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import need
from tests.support import hallq_command

# Where the commands run: with HALLQ_* cleared, a command falls back to paths under its working
# directory (var/hallq-chain.key), which must not be the checkout (tests/conftest.py).
_CWD = tempfile.mkdtemp(prefix="hallq-installed-cwd-")


def hallq(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HALLQ_")}
    return hallq_command.hallq(*args, env={**clean, **(env or {})}, cwd=_CWD)


def need_a_healthy_machine(role: str = "server") -> None:
    """What `hallq doctor` wants of the machine itself (scripts/system-deps.sh installs it)."""
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    need(bool(fonts.stdout.strip()), "no Chinese font (fonts-noto-cjk) is installed")
    for program in ("cage", "foot") if role in ("kiosk", "window") else ():
        need(shutil.which(program) is not None, f"{program} is not installed")


def install(root: Path, role: str, *args: str) -> None:
    done = hallq("install", "--role", role, "--root", str(root), *args)
    assert done.returncode == 0, done.stdout + done.stderr


def server_installation(root: Path) -> Path:
    """The demo hall as `hallq install --role server` lays it down, migrated, with clips."""
    need(shutil.which("espeak-ng") is not None, "espeak-ng is not installed (voice clips)")
    need_a_healthy_machine()
    database = f"sqlite:///{root}/var/lib/hallq/hallq.sqlite3"
    install(root, "server", "--database", database)
    upgraded = hallq("db", "upgrade", env={"HALLQ_DATABASE_URL": database})
    assert upgraded.returncode == 0, upgraded.stderr
    voice = hallq("voice", "build", env={"HALLQ_LIVE_VOICE_DIR": f"{root}/var/lib/hallq/voice"})
    assert voice.returncode == 0, voice.stderr
    return root


def copy_installation(template: Path, root: Path) -> Path:
    """A copy whose database URL points at its own copy of the database."""
    shutil.copytree(template, root)
    secret = root / "etc/hallq/secrets/database-url"
    secret.write_text(f"sqlite:///{root}/var/lib/hallq/hallq.sqlite3\n")
    return root


def doctor(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    settings = (root / "etc/hallq/hallq.env").read_text(encoding="utf-8")
    need_a_healthy_machine(settings.split("HALLQ_ROLE=", 1)[1].split()[0])
    done = hallq("doctor", "--root", str(root), *args, env=env)
    assert not done.stderr.strip(), done.stderr
    return done.returncode, done.stdout


def problems(report: str) -> list[str]:
    return [line.strip() for line in report.splitlines() if line.strip().startswith("PROBLEM")]
