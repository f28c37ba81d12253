"""A hall file with a misspelt time zone is named as a time zone problem (not as a vague
configuration error), with the key, the file and the fix."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.installed import doctor, problems


def test_bad_time_zone(server_root: Path) -> None:
    hall = server_root / "etc/hallq/hall.toml"
    text = hall.read_text(encoding="utf-8")
    assert 'timezone = "Asia/Shanghai"' in text
    hall.write_text(text.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shangai"'))
    status, report = doctor(server_root)
    assert status == 1
    [found] = problems(report)
    assert "time zone: hall.timezone 'Asia/Shangai'" in found and "hall.toml" in found
    assert "Asia/Shanghai" in report.split(found, 1)[1]  # the fix suggests the right name
