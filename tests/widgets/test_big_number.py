"""Big ticket-number glyphs and the BigNumber widget."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult

from hallq.widgets.big_number import BigNumber
from hallq.widgets.glyphs import GLYPHS, HEIGHT, render_big

SUPPORTED = string.ascii_uppercase + string.digits + "-"


@pytest.mark.parametrize("char", SUPPORTED)
def test_every_glyph_has_the_same_height_and_a_constant_width(char: str) -> None:
    lines = render_big(char)
    assert len(lines) == HEIGHT
    assert len({len(line) for line in lines}) == 1
    assert any(line.strip() for line in lines)


def test_table_covers_exactly_letters_digits_and_dash() -> None:
    assert set(GLYPHS) == set(SUPPORTED)


def test_g105_is_four_glyphs_with_one_column_gaps() -> None:
    lines = render_big("G105")
    widths = [len(GLYPHS[ch][0]) for ch in "G105"]
    assert len(lines) == HEIGHT
    assert all(len(line) == sum(widths) + 3 for line in lines)
    col = 0
    for ch, width in zip("G105", widths, strict=True):
        assert [line[col : col + width] for line in lines] == list(GLYPHS[ch])
        col += width
        if col < len(lines[0]):
            assert {line[col] for line in lines} == {" "}
            col += 1


def test_lowercase_is_upper_cased() -> None:
    assert render_big("k007") == render_big("K007")


def test_look_alikes_are_distinct() -> None:
    for a, b in ["O0", "I1", "B8", "S5", "Z2", "G6", "D0"]:
        assert GLYPHS[a] != GLYPHS[b]


@pytest.mark.parametrize("text", ["A 12", "A01#", "Ä12", "ß"])
def test_unknown_character_raises_with_the_character_named(text: str) -> None:
    bad = next(ch for ch in text if ch.upper() not in GLYPHS)
    with pytest.raises(ValueError, match=repr(bad)):
        render_big(text)


def test_empty_text_is_blank_lines() -> None:
    assert render_big("") == [""] * HEIGHT


class TwoNumbers(App[None]):
    def compose(self) -> ComposeResult:
        yield BigNumber("G105", id="g")
        yield BigNumber("k007", id="k")


async def test_widget_value_is_reactive_and_validated() -> None:
    app = TwoNumbers()
    async with app.run_test() as pilot:
        number = app.query_one("#k", BigNumber)
        assert number.value == "K007"
        number.value = "a012"
        await pilot.pause()
        assert number.value == "A012"
        assert str(number.render()).splitlines() == render_big("A012")
        with pytest.raises(ValueError, match="'!'"):
            number.value = "A01!"
        assert number.value == "A012"


def test_snapshot_g105_and_k007(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(TwoNumbers(), terminal_size=(60, 14))
