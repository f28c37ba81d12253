"""--dry-run names every file and command and writes nothing; installing again replaces the
units but keeps the hall's own edits to its configuration unless --force."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.installed import hallq, install


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    done = hallq("install", "--role", "server", "--root", str(tmp_path), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"write    {tmp_path}/etc/systemd/system/hallq-server.service" in done.stdout
    assert "run      systemctl enable --now hallq-server.service" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_reinstall_keeps_configuration(tmp_path: Path) -> None:
    install(tmp_path, "server")
    hall = tmp_path / "etc/hallq/hall.toml"
    unit = tmp_path / "etc/systemd/system/hallq-server.service"
    hall.write_text(hall.read_text() + "\n# our own edit\n")
    unit.write_text("stale")
    install(tmp_path, "server")
    assert hall.read_text().endswith("# our own edit\n")
    assert unit.read_text().startswith("# hallq queue server")
    install(tmp_path, "server", "--force")
    assert not hall.read_text().endswith("# our own edit\n")


def test_sqlite_refuses_several_workers(tmp_path: Path) -> None:
    done = hallq("install", "--role", "server", "--root", str(tmp_path), "--workers", "4")
    assert done.returncode == 1
    assert "several workers need PostgreSQL" in done.stderr
