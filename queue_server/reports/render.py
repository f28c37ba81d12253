"""Writing a bulletin in the asked formats to a folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from queue_server.reports.bulletin import Bulletin
from queue_server.reports.charts import Chart, month_charts
from queue_server.reports.csv_files import render_csv
from queue_server.reports.html import render_html
from queue_server.reports.notice import Notice
from queue_server.reports.notice_pdf import render_notice_pdf
from queue_server.reports.pdf import render_pdf
from queue_server.reports.xlsx import render_xlsx

FORMATS = ("html", "pdf", "xlsx", "csv")
EDITIONS = ("zh", "en")


def parse_formats(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"unknown format(s) {unknown or text!r}; choose from {', '.join(FORMATS)}")
    return chosen


def write_bulletin(
    bulletin: Bulletin,
    folder: Path,
    formats: Sequence[str],
    stem: str,
    step: Callable[[str], None] = lambda _: None,
    notice: Notice | None = None,
    edition: str = "zh",
) -> list[Path]:
    """Writes `<stem>.html`, `.pdf`, `.xlsx` and a `<stem>-csv/` folder; returns the paths.

    The PDF is what is published: with a `notice` and the Chinese edition, the notice (通报)
    after GB/T 9704; the English edition (`edition="en"`) is a separate document, the tables
    with English labels (`<stem>-en.pdf`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    charts: list[Chart] = []
    as_notice = notice is not None and edition == "zh"
    if "html" in formats or ("pdf" in formats and not as_notice):
        step("charts")
        charts = month_charts(bulletin)
    if "html" in formats:
        step("html")
        path = folder / f"{stem}.html"
        path.write_text(render_html(bulletin, charts), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        step("pdf")
        if as_notice:
            assert notice is not None
            path = folder / f"{stem}.pdf"
            path.write_bytes(render_notice_pdf(notice))
        else:
            # the yearly summary (no notice) keeps its bilingual tables
            path = folder / f"{stem}{'-en' if edition == 'en' else ''}.pdf"
            path.write_bytes(render_pdf(bulletin, charts, "en" if edition == "en" else "both"))
        written.append(path)
    if "xlsx" in formats:
        step("xlsx")
        path = folder / f"{stem}.xlsx"
        path.write_bytes(render_xlsx(bulletin))
        written.append(path)
    if "csv" in formats:
        step("csv")
        sub = folder / f"{stem}-csv"
        sub.mkdir(exist_ok=True)
        for name, content in render_csv(bulletin).items():
            (sub / name).write_bytes(content)
        written.append(sub)
    return written
