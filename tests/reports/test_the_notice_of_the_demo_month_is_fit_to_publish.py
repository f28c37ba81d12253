"""The demo's last month published as a notice (通报) after GB/T 9704: rendered to PNG pages
with pdftoppm and read back with pypdf. Chinese title, document number, the issuing body and
the date at the end, page numbers on every page, no English and no internal evidence ids in
the body, attached tables whose dates are never cut."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import fill_previous_month
from queue_server.domain.clock import ManualClock
from queue_server.domain.month_measures import MonthMeasures, ScoreSection
from queue_server.reports.notice import Notice
from queue_server.reports.notice_pdf import render_notice_pdf
from queue_server.reports.notice_source import build_notice
from queue_server.reports.scores import load_scores
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry
from queue_server.services.reports import ReportService
from queue_server.storage.engine import make_engine
from tests.conftest import need
from tests.support.factories import local

NOW = local(2026, 12, 3, 10, 0)


@dataclass(frozen=True)
class Published:
    measures: MonthMeasures
    scores: ScoreSection
    notice: Notice
    pdf: bytes


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    config = load_hall_config(EXAMPLE_CONFIG)
    fill_previous_month(url, config, NOW)
    db = Database(make_engine(url))
    halls = HallRegistry([config])
    clock = ManualClock(NOW)
    measures = ReportService(db, halls, clock).month_measures("demo", "2026-11")
    scores = load_scores(db, halls, clock, "demo", "2026-11")
    assert scores is not None
    notice = build_notice(db, halls, clock, measures, scores, 12, date(2026, 12, 3))
    yield Published(measures, scores, notice, render_notice_pdf(notice))
    db.engine.dispose()


def _pages(pdf: bytes) -> list[str]:
    # fpdf2's CJK CMap reads back with a NUL before each character through pypdf
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"[\s\x00]+", "", page.extract_text()) for page in reader.pages]


def test_the_notice_reads_as_a_chinese_government_notice(published: Published) -> None:
    pages = _pages(published.pdf)
    first = pages[0]
    assert first.startswith("示范区政务服务中心示政服通〔2026〕12号关于2026年11月运行情况的通报")
    assert "各进驻部门，中心各股室，各窗口：" in first
    body_end = next(i for i, text in enumerate(pages) if "特此通报。" in text)
    signed = pages[body_end]
    # after the list of annexes: the issuing body, then the date
    assert re.search(r"特此通报。附件：1\..*示范区政务服务中心2026年12月3日", signed)
    body = "".join(pages[: body_end + 1])
    for heading in ("一、总体运行情况", "二、红榜", "三、存在的问题", "四、工作要求"):
        assert heading in body
    assert "最佳窗口" in body and published.scores.tie_rule_zh in body
    t = published.measures.totals
    assert f"办结{t.served}件" in body and f"收到服务评价{t.ratings}条" in body
    # the print record (版记) on the last page
    assert pages[-1].endswith("示范区政务服务中心2026年12月3日印发—" + str(len(pages)) + "—")


def test_no_english_and_no_evidence_ids_in_what_is_published(published: Published) -> None:
    pages = _pages(published.pdf)
    body_end = next(i for i, text in enumerate(pages) if "特此通报。" in text)
    body = "".join(pages[: body_end + 1])
    for staff_no in (line.key for line in published.scores.staff):
        body = body.replace(staff_no, "")  # staff numbers are identifiers, not words
    assert re.findall(r"[A-Za-z]+", body) == []
    whole = "".join(pages)
    assert not re.search(r"(event|entry|complaint):", whole)
    for english in ("quality", "conduct", "diligence", "excellent", "Window", "Points"):
        assert english not in whole


def test_every_page_is_numbered_and_the_annex_dates_are_whole(published: Published) -> None:
    pages = _pages(published.pdf)
    for number, text in enumerate(pages, 1):
        assert text.endswith(f"—{number}—"), number
    annexes = "".join(pages)
    scores_annex = annexes.index("附件1")
    assert "窗口考核结果" in annexes[scores_annex:] and "工作人员考核结果" in annexes
    for head in ("名次", "得分", "等次", "服务质量", "廉洁", "纪律", "德", "能", "勤", "绩", "廉"):
        assert head in annexes[scores_annex:]
    for case in published.measures.overdue_cases:
        assert case.deadline.isoformat() in annexes  # never cut to "2026-11-…"


def test_the_pages_render_as_a4_png(published: Published, tmp_path: Path) -> None:
    exe = shutil.which("pdftoppm")
    need(exe is not None, "pdftoppm is missing (poppler-utils, scripts/system-deps.sh)")
    assert exe is not None
    source = tmp_path / "notice.pdf"
    source.write_bytes(published.pdf)
    subprocess.run([exe, "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(published.pdf)).pages) >= 3
    for path in images:
        width, height = Image.open(path).size
        assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    # the issuing body's mark is red, the rest of the first page black on white
    first = Image.open(images[0]).convert("RGB")
    colours = first.getcolors(first.width * first.height) or []
    reds = sum(n for n, (r, g, b) in colours if r > 180 and g < 90 and b < 90)
    assert reds > 50
