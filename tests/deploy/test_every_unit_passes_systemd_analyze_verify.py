"""`systemd-analyze verify` accepts every unit `hallq install` lays down, for every role.

How: each role is installed into a temporary root; its units name the hallq of this venv
(install writes the path of the hallq that runs it, /opt/hallq/venv/bin/hallq on a real
machine). verify then loads them from that folder against this machine's systemd: it checks
the syntax, every setting, the dependencies it can resolve, and that each executable
exists - so cage, foot, chromium and chvt must be installed (scripts/system-deps.sh does).
Templates are verified as real instances (hallq-kiosk@1.service). verify does not check that
the user `hallq` exists; sysusers creates it at install time (test_install_lays_each_role).
A unit naming a missing program fails verification, which the second test shows.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need
from tests.deploy.installed import install

INSTANCES = {"hallq-kiosk@.service": "hallq-kiosk@1.service",
             "hallq-display@.service": "hallq-display@3.service",
             "hallq-console@.service": "hallq-console@3.service"}  # fmt: skip


def verify(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze is not installed")
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("role", ["server", "kiosk", "window", "board"])
def test_role_units_verify(role: str, tmp_path: Path) -> None:
    for program in ("cage", "foot", "chromium", "chvt"):
        need(shutil.which(program) is not None, f"{program} is not installed (system-deps.sh)")
    install(tmp_path, role, "--seat", "1" if role == "kiosk" else "3")
    folder = tmp_path / "etc/systemd/system"
    units = sorted(folder.iterdir())
    assert units
    paths = [folder / INSTANCES.get(unit.name, unit.name) for unit in units]
    result = verify(paths)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_a_unit_naming_a_missing_program_fails(tmp_path: Path) -> None:
    install(tmp_path, "server")
    unit = tmp_path / "etc/systemd/system/hallq-server.service"
    text = unit.read_text()
    unit.write_text(text.replace("ExecStartPre=", "ExecStartPre=/nonexistent/hallq-db ", 1))
    result = verify([unit])
    assert result.returncode != 0
    assert "/nonexistent/hallq-db" in result.stderr
