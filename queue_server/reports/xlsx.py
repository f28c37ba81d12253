"""The bulletin as an Excel workbook (offices live in Excel): one sheet per table."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from queue_server.reports.bulletin import Bulletin, Format, Table

NUMBER_FORMATS: dict[Format, str] = {
    "int": "0",
    "minutes": "0.0",
    "number": "0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
HEAD = PatternFill("solid", fgColor="EEF3F7")
# The workbook's sheet names (Excel allows 31 characters).
SHEET_NAMES = {
    "window_scores": "window scores",
    "staff_scores": "staff scores",
    "score_reasons": "score reasons",
    "rating_reasons": "rating reasons",
    "out_of_order": "out of order",
    "follow_ups": "follow-ups",
}


def render_xlsx(bulletin: Bulletin) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "summary"
    summary.append([bulletin.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([bulletin.subtitle])
    summary.append([f"生成时间 generated {bulletin.generated_at:%Y-%m-%d %H:%M}"])
    summary.append([])
    summary.append(["指标", "Figure", "数值 Value"])
    for cell in summary[5]:
        cell.font = Font(bold=True)
        cell.fill = HEAD
    for figure in bulletin.figures:
        summary.append([figure.zh, figure.en, figure.value])
        if figure.format in NUMBER_FORMATS:
            summary.cell(summary.max_row, 3).number_format = NUMBER_FORMATS[figure.format]
    summary.append([])
    for note in bulletin.notes:
        summary.append([note])
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 28
    summary.column_dimensions["C"].width = 14
    for table in bulletin.tables:
        _sheet(book, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(SHEET_NAMES.get(table.key, table.key)[:31])
    sheet.append([c.zh for c in table.columns])
    sheet.append([c.en for c in table.columns])
    for row_no in (1, 2):
        for cell in sheet[row_no]:
            cell.font = Font(bold=row_no == 1)
            cell.fill = HEAD
            cell.alignment = Alignment(wrap_text=True)
    formatted = [
        (index, NUMBER_FORMATS[c.format])
        for index, c in enumerate(table.columns, 1)
        if c.format in NUMBER_FORMATS
    ]
    # Row numbers are counted here: `sheet.max_row` scans every cell, quadratic over a
    # busy month's 15,000-row lists.
    for number, row in enumerate(table.rows, 3):
        sheet.append(list(row))
        for index, fmt in formatted:
            sheet.cell(number, index).number_format = fmt
    sheet.freeze_panes = "A3"
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(40, 2 * len(column.zh) + 4, len(column.en) + 4)
        )
