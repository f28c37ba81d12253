"""A Textual widget that shows a ticket number in big block glyphs."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from hallq.widgets.glyphs import render_big


class BigNumber(Static):
    """Ticket number such as "G105" drawn with `render_big`, centred in the widget.

    Assigning a value with a character that has no glyph raises ValueError at assignment,
    so a bad number is caught where it is set rather than while the screen repaints.
    """

    DEFAULT_CSS = """
    BigNumber {
        width: 1fr;
        height: auto;
        content-align: center middle;
    }
    """

    value: reactive[str] = reactive("", layout=True)
    # Each glyph cell drawn as scale x scale cells: the kiosk's elder look makes the number
    # as large as its screen allows.
    scale: reactive[int] = reactive(1, layout=True)

    def __init__(
        self,
        value: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, markup=False)
        self.value = value

    def validate_value(self, value: str) -> str:
        render_big(value)
        return value.upper()

    def watch_value(self, value: str) -> None:
        self._draw()

    def watch_scale(self, _scale: int) -> None:
        self._draw()

    def _draw(self) -> None:
        self.update(Content("\n".join(scaled(render_big(self.value), self.scale))))

    def width_at(self, scale: int) -> int:
        rows = render_big(self.value)
        return len(rows[0]) * scale if rows else 0


def scaled(rows: list[str], scale: int) -> list[str]:
    if scale <= 1:
        return rows
    return ["".join(ch * scale for ch in row) for row in rows for _ in range(scale)]
