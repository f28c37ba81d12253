"""The bulletin's tables as PDF with fpdf2, text in Noto Sans CJK (embedded, so it stays
searchable and extractable), charts as images: the English edition of the monthly bulletin
(English labels only) and the yearly summary (both languages). The Chinese edition of the
monthly bulletin is the notice (通报) of `notice_pdf`."""

from __future__ import annotations

import io
from typing import Literal

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from queue_server.reports.bulletin import Bulletin, Table, format_cell
from queue_server.reports.charts import Chart
from queue_server.reports.fonts import find_cjk_font

FONT = "cjk"
# Long lists (attendance incidents, promised cases) go to the PDF up to this many rows; the
# workbook and the CSV files carry them all.
PDF_ROW_LIMIT = 60


Edition = Literal["en", "both"]


def _label(zh: str, en: str, edition: Edition) -> str:
    if edition == "en":
        return en or zh
    return f"{zh} {en}" if en else zh


class _Document(FPDF):
    def __init__(self, bulletin: Bulletin, edition: Edition = "both") -> None:
        super().__init__(orientation="landscape", format="A4")
        self.bulletin = bulletin
        self.edition = edition
        font = find_cjk_font()
        self.add_font(FONT, fname=font.path, collection_font_number=font.index)
        self.set_auto_page_break(True, margin=12)
        self.set_title(bulletin.title)
        self.set_creator("hallq")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, size=7)
        self.set_text_color(120)
        title = self.bulletin.title_en if self.edition == "en" else self.bulletin.title
        self.cell(0, 5, f"{title} · {self.page_no()}", align="C")
        self.set_text_color(0)


def render_pdf(bulletin: Bulletin, charts: list[Chart], edition: Edition = "both") -> bytes:
    pdf = _Document(bulletin, edition)
    english = edition == "en"
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    _say(pdf, 0, 10, bulletin.title_en if english else bulletin.title)
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(90)
    generated = f"{bulletin.generated_at:%Y-%m-%d %H:%M}"
    _say(
        pdf,
        0,
        6,
        f"Generated {generated}"
        if english
        else f"{bulletin.subtitle} · 生成时间 generated {generated}",
    )
    pdf.set_text_color(0)
    pdf.ln(2)
    _heading(pdf, _label("主要指标", "Key figures", edition))
    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=(40, 60, 30) * 2,
        text_align="LEFT",
        headings_style=FontFace(emphasis=None, fill_color=(238, 243, 247)),
        first_row_as_headings=False,
        width=260,
    ) as grid:
        figures = bulletin.figures
        for start in range(0, len(figures), 2):
            row = grid.row()
            for figure in figures[start : start + 2]:
                row.cell("" if english else figure.zh)
                row.cell(figure.en)
                row.cell(format_cell(figure.value, figure.format))
    for note in bulletin.notes:
        pdf.set_font(FONT, size=8)
        _say(pdf, 0, 5, note)
    pdf.add_page()
    for chart in charts:
        _chart(pdf, chart)
    for table in bulletin.tables:
        _table(pdf, table, edition)
    return bytes(pdf.output())


def _chart(pdf: FPDF, chart: Chart) -> None:
    """As wide as 200 mm allows, never taller than a page (a 40-window ranking is tall)."""
    pixels_w, pixels_h = Image.open(io.BytesIO(chart.png)).size
    room = pdf.h - pdf.t_margin - pdf.b_margin - 4
    width = 200.0
    height = width * pixels_h / pixels_w
    if height > room:
        height, width = room, room * pixels_w / pixels_h
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(chart.png), w=width, h=height, title=chart.title, alt_text=chart.title)
    pdf.ln(2)


def _say(pdf: FPDF, width: float, height: float, text: str) -> None:
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, size=13)
    pdf.set_text_color(47, 111, 159)
    _say(pdf, 0, 8, text)
    pdf.set_text_color(0)


def _table(pdf: FPDF, table: Table, edition: Edition = "both") -> None:
    table = table.published()
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(3)
    _heading(pdf, _label(table.zh, table.en, edition))
    rows = table.rows[:PDF_ROW_LIMIT]
    if not rows:
        pdf.set_font(FONT, size=9)
        _say(pdf, 0, 6, "无 none")
        return
    size = 8 if len(table.columns) <= 10 else 6.5
    pdf.set_font(FONT, size=size)
    texts = [
        [
            format_cell(value, column.format)
            for value, column in zip(row, table.columns, strict=True)
        ]
        for row in rows
    ]
    widths = _widths(pdf, table, texts)
    height = size * 0.6
    _head(pdf, table, widths, height, edition)
    for row in texts:
        if pdf.will_page_break(height):
            pdf.add_page()
            pdf.set_font(FONT, size=size)
            _head(pdf, table, widths, height, edition)
        for text, width, column in zip(row, widths, table.columns, strict=True):
            pdf.cell(
                width,
                height,
                _fit(pdf, text, width),
                border=1,
                align="L" if column.format == "text" else "R",
            )
        pdf.ln(height)
    if len(table.rows) > len(rows):
        pdf.set_font(FONT, size=8)
        more = len(table.rows) - len(rows)
        _say(pdf, 0, 5, f"另有 {more} 行见 XLSX/CSV。 {more} more rows in the XLSX and CSV files.")


# Plain cells, not fpdf2's table(): that one wraps every cell's text and costs milliseconds a
# cell, minutes for a busy month's lists.
def _widths(pdf: FPDF, table: Table, texts: list[list[str]]) -> list[float]:
    """Each column as wide as its content. When the table is wider than the page, only the
    text columns give way (their cells end in …): dates, times and numbers are never cut."""
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    wanted = []
    for index, column in enumerate(table.columns):
        label = max(pdf.get_string_width(column.zh), pdf.get_string_width(column.en))
        values = max((pdf.get_string_width(row[index]) for row in texts[:60]), default=0)
        if column.format == "text":
            wanted.append(min(max(label, values) + 2.5, usable / 3))
        else:
            wanted.append(values + 2.5)  # a heading may be cut, a value never
    total = sum(wanted)
    if total <= usable:
        return wanted
    fixed = sum(w for w, c in zip(wanted, table.columns, strict=True) if c.format != "text")
    flexible = total - fixed
    share = max(usable - fixed, 0) / flexible if flexible else 1.0
    return [
        w if c.format != "text" else w * share for w, c in zip(wanted, table.columns, strict=True)
    ]


def _head(
    pdf: FPDF, table: Table, widths: list[float], height: float, edition: Edition = "both"
) -> None:
    pdf.set_fill_color(238, 243, 247)
    if edition == "en":
        for column, width in zip(table.columns, widths, strict=True):
            pdf.cell(width, height, _fit(pdf, column.en or column.zh, width), border=1, fill=True)
        pdf.ln(height)
        return
    for column, width in zip(table.columns, widths, strict=True):
        pdf.cell(width, height, _fit(pdf, column.zh, width), border="LTR", fill=True)
    pdf.ln(height)
    for column, width in zip(table.columns, widths, strict=True):
        pdf.cell(width, height, _fit(pdf, column.en, width), border="LBR", fill=True)
    pdf.ln(height)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width - 1:
        return text
    while text and pdf.get_string_width(text + "…") > width - 1:
        text = text[:-1]
    return text + "…"
