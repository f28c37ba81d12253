"""The bulletin as CSV: one file per table, UTF-8 with a BOM so Excel reads the Chinese."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from queue_server.reports.bulletin import Bulletin, Cell, Table


def _plain(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def table_csv(table: Table) -> bytes:
    table = table.published()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_csv(bulletin: Bulletin) -> dict[str, bytes]:
    """File name -> content; the key figures go in summary.csv."""
    files = {}
    summary = io.StringIO()
    writer = csv.writer(summary, lineterminator="\r\n")
    writer.writerow(["指标 Figure", "数值 Value"])
    for figure in bulletin.figures:
        writer.writerow([f"{figure.zh} {figure.en}", _plain(figure.value)])
    files["summary.csv"] = summary.getvalue().encode("utf-8-sig")
    for table in bulletin.tables:
        files[f"{table.key}.csv"] = table_csv(table)
    return files
