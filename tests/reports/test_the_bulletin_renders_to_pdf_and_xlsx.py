"""The bulletin of the scripted month, opened again: PDF text (Chinese included) and cells."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from queue_server.reports.bulletin import format_cell, month_bulletin
from queue_server.reports.charts import month_charts
from queue_server.reports.pdf import render_pdf
from queue_server.reports.xlsx import render_xlsx
from tests.reports.conftest import PlayedMonth

GENERATED = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # fpdf2 embeds Noto CJK (CFF outlines) with its own two-byte CMap; pypdf reads the codes a
    # byte at a time and puts a NUL before each character (the characters themselves come out
    # right, through the ToUnicode map). Compare without NULs and whitespace.
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\x00]+", "", text)


def test_the_pdf_carries_the_month_in_chinese(played: PlayedMonth) -> None:
    bulletin = month_bulletin(played.measures, GENERATED)
    pdf = render_pdf(bulletin, month_charts(bulletin))
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "测试大厅2026年11月运行情况通报" in text
    for heading in ("主要指标", "分事项办理情况", "分窗口办理情况", "考勤情况", "非顺序叫号"):
        assert heading in text
    assert "社保" in text and "不动产" in text  # service names from the hall's configuration
    assert "elderlyvisitor,helpedbythedutylead" in text  # the out-of-order call's reason
    assert "迟到late" in text and "脱岗offpost" in text
    assert played.script.alice in text and played.script.bob in text
    # the mean wait of the five visitors: 3120 s / 5 = 10.4 minutes
    assert "平均等候(分钟)" in text and "10.4" in text
    reader = PdfReader(io.BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 6  # day, hour, waits, service level, ratings, ranking


def test_the_workbook_has_the_month_in_cells(played: PlayedMonth) -> None:
    bulletin = month_bulletin(played.measures, GENERATED)
    book = load_workbook(io.BytesIO(render_xlsx(bulletin)))
    assert book.sheetnames[:4] == ["summary", "services", "windows", "staff"]
    assert {"days", "hours", "attendance", "overdue", "promised"} <= set(book.sheetnames)

    summary = {row[1]: row[2] for row in book["summary"].iter_rows(min_row=6, values_only=True)}
    assert summary["Numbers taken"] == 5
    assert summary["Cases finished"] == 4
    assert summary["Mean wait (min)"] == 3120 / 5 / 60

    services = book["services"]
    assert [c.value for c in services[2]][:3] == ["Service", "Name", "Issued"]
    rows = {r[0]: r for r in services.iter_rows(min_row=3, values_only=True)}
    assert rows["SOC"][1] == "社保" and rows["SOC"][2] == 4 and rows["SOC"][5] == 2
    assert rows["TAX"][3] == 1  # the transferred leg
    assert services.cell(3, 13).number_format == "0.0%"

    windows = {r[0]: r for r in book["windows"].iter_rows(min_row=3, values_only=True)}
    assert windows[1][3:5] == (4, 2)  # called, finished
    # rank by cases finished; windows 1 and 2 both finished two, the lower number first
    assert (windows[1][2], windows[2][2], windows[3][2]) == (1, 2, 3)

    attendance = list(book["attendance"].iter_rows(min_row=3, values_only=True))
    assert len(attendance) == 6
    assert all(isinstance(row[0], datetime) for row in attendance)  # real dates for Excel
    assert sum(row[4] for row in attendance if row[3] == "窗口无人 unattended") == 7 + 10 + 240


def test_scores_appear_when_the_month_was_assessed(played: PlayedMonth) -> None:
    from queue_server.domain.month_measures import ScoreLine, ScoreSection

    scores = ScoreSection(
        windows=[
            ScoreLine("window", "2", "二号窗口", 96.0, "优秀", 1, {"服务质量": 60}, True),
            ScoreLine("window", "1", "一号窗口", 81.5, "良好", 2, {"服务质量": 45.5}),
        ],
        staff=[ScoreLine("staff", played.script.bob, played.script.bob, 91.0, "优秀", 1)],
    )
    bulletin = month_bulletin(played.measures, GENERATED, scores)
    book = load_workbook(io.BytesIO(render_xlsx(bulletin)))
    rows = list(book["window scores"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:4] == (1, "二号窗口", 96.0, "优秀") and rows[0][-2] == "★ 最佳窗口"
    assert rows[0][-1] in ("", None)  # 等次说明: not decided at the quota's edge
    text = _text(render_pdf(bulletin, month_charts(bulletin)))
    assert "窗口考核" in text and "工作人员考核" in text and "二号窗口" in text


def test_the_english_edition_is_a_separate_document(played: PlayedMonth) -> None:
    bulletin = month_bulletin(played.measures, GENERATED)
    text = _text(render_pdf(bulletin, month_charts(bulletin), "en"))
    assert text.startswith("Monthlyoperationsbulletin2026-11")
    for heading in ("Keyfigures", "Byservice", "Bywindow", "Attendance"):
        assert heading in text
    # the labels are English only; what the hall typed (service names) stays as it is
    for chinese in ("主要指标", "分事项办理情况", "运行情况通报", "平均等候"):
        assert chinese not in text
    # dates, times and numbers are never cut to fit a column (only text cells give way)
    attendance = bulletin.table("attendance")
    assert attendance.rows
    for row in attendance.rows:
        for value, column in zip(row, attendance.columns, strict=True):
            if column.format in ("datetime", "date", "int") and not column.internal:
                assert format_cell(value, column.format).replace(" ", "") in text


def test_a_table_wider_than_the_page_cuts_text_never_dates(played: PlayedMonth) -> None:
    from datetime import date

    from queue_server.reports.bulletin import Column, Table
    from queue_server.reports.pdf import FONT, _Document, _widths

    pdf = _Document(month_bulletin(played.measures, GENERATED), "en")
    pdf.add_page()
    pdf.set_font(FONT, size=6.5)
    columns = (
        Column("日期", "Day", "date"),
        *(Column(f"说明{i}", f"Note {i}") for i in range(12)),
        Column("数", "Count", "int"),
    )
    table = Table(
        "wide",
        "宽表",
        "Wide",
        columns,
        [(date(2026, 11, 25), *["很长的说明文字" * 4] * 12, 123456)],
    )
    texts = [
        [format_cell(v, c.format) for v, c in zip(row, columns, strict=True)] for row in table.rows
    ]
    widths = _widths(pdf, table, texts)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    assert sum(widths) <= usable + 0.01  # nothing sticks out of the page
    assert widths[0] > pdf.get_string_width("2026-11-25") + 1
    assert widths[-1] > pdf.get_string_width("123456") + 1
