"""Golden ESC/POS bytes for fixed documents.

The bitmaps depend on the font file and the FreeType/Pillow that draw it, so the goldens
record those and are compared only under the same ones. Regenerate after a deliberate
layout change with:  HALLQ_REGEN_GOLDEN=1 .venv/bin/pytest tests/printers -k golden
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import PIL
import pytest
from PIL import features

from printers.fonts import FontSet
from printers.layout import escpos_bytes, render

GOLDEN = Path(__file__).parent / "golden"
META = GOLDEN / "meta.json"
REGEN = os.environ.get("HALLQ_REGEN_GOLDEN") == "1"
CASES = ["receipt_80mm", "receipt_58mm_en", "notice_slip_58mm"]


def environment(fonts: FontSet) -> dict[str, Any]:
    paths = sorted({fonts.regular.path, fonts.bold.path})
    return {
        "fonts": {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths},
        "faces": [fonts.regular.spec(), fonts.bold.spec()],
        "freetype": features.version("freetype2"),
        "pillow": PIL.__version__,
    }


def document(case: str, receipt_with: Any, notice_slip: Any) -> tuple[Any, int]:
    if case == "receipt_80mm":
        return receipt_with(), 80
    if case == "receipt_58mm_en":
        return receipt_with(lang="en", kind_label="预约 09:30", reprint=True), 58
    return notice_slip, 58


@pytest.mark.parametrize("case", CASES)
def test_it_matches_golden_bytes(
    case: str, pinned_fonts: FontSet, receipt_with: Any, notice_slip: Any, tmp_path: Path
) -> None:
    doc, width = document(case, receipt_with, notice_slip)
    rendered = render(doc, width, pinned_fonts)
    data = escpos_bytes(rendered)
    golden = GOLDEN / f"{case}.bin"
    env = environment(pinned_fonts)
    if REGEN:
        golden.write_bytes(data)
        META.write_text(json.dumps(env, indent=2, ensure_ascii=False) + "\n")
        rendered.to_image().save(GOLDEN / f"{case}.png")
        return
    recorded = json.loads(META.read_text())
    if recorded != env:
        pytest.skip(
            f"goldens were made with {recorded}, this machine has {env}; "
            "regenerate with HALLQ_REGEN_GOLDEN=1 and review the PNGs"
        )
    if data != golden.read_bytes():
        actual = tmp_path / f"{case}.png"
        rendered.to_image().save(actual)
        pytest.fail(
            f"{case}: ESC/POS bytes differ from {golden.name}; the new rendering is "
            f"{actual} (compare with golden/{case}.png); if intended, regenerate "
            "with HALLQ_REGEN_GOLDEN=1"
        )
