"""`hallq voice build` says what is missing instead of failing obscurely."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallq.cli import main


def test_without_espeak_it_names_the_package_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SystemExit) as exited:
        main(["voice", "build", "--out", str(tmp_path / "voice")])
    assert exited.value.code == 1
    assert "espeak-ng" in capsys.readouterr().err
    assert not (tmp_path / "voice").exists()
