"""`hallq receipt preview` writes a PNG anyone can look at without a printer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from hallq.cli import main


@pytest.mark.usefixtures("cjk_fonts")
@pytest.mark.parametrize(("width", "dots"), [(58, 384), (80, 576)])
def test_it_previews_a_receipt_from_the_command_line(
    width: int, dots: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "receipt.png"
    with pytest.raises(SystemExit) as done:
        main(["receipt", "preview", "--out", str(out), "--width", str(width)])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == str(out)
    image = Image.open(out)
    assert image.size[0] == dots
    assert image.size[1] > dots  # a tall slip, not an empty page


def test_the_kiosk_command_refuses_an_unknown_printer(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["kiosk", "--printer", "laser:1"])
    assert done.value.code == 2
    assert "--printer" in capsys.readouterr().err
