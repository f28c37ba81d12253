"""`hallq report month` writes the bulletin's files and shows its progress on stderr."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook

from tests.reports.conftest import PlayedMonth, report
from tests.support.factories import SMALL_HALL


def test_report_month_writes_html_pdf_xlsx_and_csv(
    played: PlayedMonth, sqlite_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = report(
        "month", "2026-11", "--database", sqlite_url, "--config", str(config), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "2026-11 hall test: 5 numbers, 4 finished" in result.stdout
    assert "events read (100 %)" in result.stderr  # progress
    assert "writing pdf" in result.stderr
    stem = out / "bulletin-test-2026-11"
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert "测试大厅2026年11月运行情况通报" in html and "data:image/png;base64," in html
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    book = load_workbook(stem.with_suffix(".xlsx"))
    assert book["summary"]["A1"].value == "测试大厅2026年11月运行情况通报"
    csv = (out / "bulletin-test-2026-11-csv" / "services.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert "社保" in csv.decode("utf-8-sig")


def test_report_month_refuses_a_malformed_month_or_format(
    played: PlayedMonth, sqlite_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), encoding="utf-8"
    )
    common = ["--database", sqlite_url, "--config", str(config), "--out", str(tmp_path)]
    bad_month = report("month", "2026-13", *common)
    assert bad_month.returncode == 2 and "not a month like 2026-11" in bad_month.stderr
    assert "measuring" not in bad_month.stderr  # refused before any work is announced
    bad_format = report("month", "2026-11", "--format", "docx", *common)
    assert bad_format.returncode == 2 and "choose from html, pdf, xlsx, csv" in bad_format.stderr


def test_report_year_sums_the_months(played: PlayedMonth, sqlite_url: str, tmp_path: Path) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), encoding="utf-8"
    )
    result = report(
        "year",
        "2026",
        "--format",
        "xlsx",
        "--database",
        sqlite_url,
        "--config",
        str(config),
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "2026 hall test: 11 months, 5 numbers" in result.stdout
    book = load_workbook(tmp_path / "summary-test-2026.xlsx")
    months = {row[0]: row for row in book["months"].iter_rows(min_row=3, values_only=True)}
    assert months["2026-11"][1] == 5 and months["2026-10"][1] == 0
    assert months["2026"][1:3] == (5, 4)  # the year's line: issued, finished


def test_report_year_counts_the_months_so_far_by_the_halls_clock(
    played: PlayedMonth, sqlite_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), encoding="utf-8"
    )
    common = ["--format", "csv", "--database", sqlite_url, "--config", str(config)]
    december = {**os.environ, "HALLQ_CLOCK_START": "2026-12-02T10:00:00+08:00"}
    whole = report("year", "2026", *common, "--out", str(tmp_path / "dec"), env=december)
    assert whole.returncode == 0, whole.stderr
    assert "2026 hall test: 12 months, 5 numbers" in whole.stdout
    early = {**os.environ, "HALLQ_CLOCK_START": "2026-03-01T10:00:00+08:00"}
    march = report("year", "2026", *common, "--out", str(tmp_path / "mar"), env=early)
    assert march.returncode == 0, march.stderr
    assert "2026 hall test: 3 months, 0 numbers" in march.stdout
