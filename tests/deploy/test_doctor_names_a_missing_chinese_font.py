"""A machine whose fontconfig knows no Chinese font (simulated: a fonts.conf that lists only
an empty folder) fails the doctor with the fonts problem and its fix, and nothing else."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.installed import doctor, problems


def test_missing_font(server_root: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{empty}</dir>'
        f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    status, report = doctor(server_root, env={"FONTCONFIG_FILE": str(conf)})
    assert status == 1
    [found] = problems(report)
    assert found.startswith("PROBLEM  fonts: no font on this machine can draw Chinese")
    assert "fix: apt-get install fonts-noto-cjk" in report
