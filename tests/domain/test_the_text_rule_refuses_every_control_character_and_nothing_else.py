"""The text rule's one-pass scan (queue_server.domain.text_input) refuses exactly the characters
its definition names, checked against unicodedata for every code point: control characters
but tab and line breaks, bidirectional controls, unpaired surrogates."""

from __future__ import annotations

import sys
import unicodedata

from queue_server.domain.text_input import ALLOWED_CONTROLS, BIDI_CONTROLS, text_problem


def _refused_by_definition(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (
        ch in BIDI_CONTROLS or (category == "Cc" and ch not in ALLOWED_CONTROLS) or category == "Cs"
    )


def test_it_refuses_exactly_what_the_definition_names() -> None:
    wrong = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (text_problem(f"a{chr(code)}b") is not None) != _refused_by_definition(chr(code))
    ]
    assert wrong == []


def test_it_names_the_character_it_refuses() -> None:
    assert text_problem("办理\x00") == "contains a control character (U+0000)"
    assert text_problem("x\u202ey") == "contains a bidirectional control character (U+202E)"
    assert text_problem("\ud800") == "contains an unpaired surrogate"
    assert text_problem("第一行\r\n第二行\t完") is None
