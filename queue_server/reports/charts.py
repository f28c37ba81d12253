"""The bulletin's charts as PNG images, drawn with matplotlib in the CJK font."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from queue_server.domain.rating import LEVEL_TEXT, Level
from queue_server.reports.bulletin import Bulletin
from queue_server.reports.fonts import find_cjk_font

# Figures are made without pyplot (no global state); the font manager is shared, so adding
# the CJK font to it is done under a lock.
_LOCK = threading.Lock()
DPI = 120
COLOR = "#2f6f9f"
ACCENT = "#d9822b"


@dataclass(frozen=True)
class Chart:
    key: str
    zh: str
    en: str
    png: bytes

    @property
    def title(self) -> str:
        return f"{self.zh} {self.en}"


def _font() -> font_manager.FontProperties:
    font = find_cjk_font()
    if font.path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(font.path)
    return font_manager.FontProperties(fname=font.path)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _bar(
    labels: list[str],
    values: list[float],
    title: str,
    ylabel: str,
    font: font_manager.FontProperties,
    *,
    horizontal: bool = False,
    line: float | None = None,
    size: tuple[float, float] = (8, 3.2),
) -> bytes:
    figure = Figure(figsize=size)
    axes = figure.subplots()
    if horizontal:
        axes.barh(labels, values, color=COLOR)
        axes.invert_yaxis()
        axes.set_xlabel(ylabel, fontproperties=font)
        if line is not None:
            axes.axvline(line, color=ACCENT, linestyle="--")
    else:
        axes.bar(labels, values, color=COLOR)
        axes.set_ylabel(ylabel, fontproperties=font)
        if line is not None:
            axes.axhline(line, color=ACCENT, linestyle="--")
    axes.set_title(title, fontproperties=font)
    for tick in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        tick.set_fontproperties(font)
    if not horizontal and len(labels) > 12:
        axes.tick_params(axis="x", labelrotation=60, labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def month_charts(bulletin: Bulletin) -> list[Chart]:
    m = bulletin.measures
    if m is None:
        return year_charts(bulletin)
    with _LOCK:
        font = _font()
        charts = [
            Chart(
                "days",
                "每日取号量",
                "Numbers taken by day",
                _bar(
                    [f"{d.day.day}" for d in m.days],
                    [d.issued for d in m.days],
                    "每日取号量 Numbers taken by day",
                    "人次 visitors",
                    font,
                ),
            ),
            Chart(
                "hours",
                "分时段取号量",
                "Numbers taken by hour",
                _bar(
                    [f"{h.hour:02d}" for h in m.hours],
                    [h.issued for h in m.hours],
                    "分时段取号量 Numbers taken by hour",
                    "人次 visitors",
                    font,
                ),
            ),
            Chart(
                "waits",
                "等候时长分布",
                "Waiting-time distribution",
                _bar(
                    [b.label for b in m.waiting_distribution],
                    [b.count for b in m.waiting_distribution],
                    "等候时长分布（分钟） Waiting time (min)",
                    "人次 visitors",
                    font,
                ),
            ),
            Chart(
                "service_level",
                "各事项叫号达标率",
                "Service level by service",
                _bar(
                    [f"{s.name_zh}" for s in m.services],
                    [(s.service_level or 0) * 100 for s in m.services],
                    "各事项目标时间内叫号比例 Called within target (%)",
                    "%",
                    font,
                    horizontal=True,
                    line=80,
                    size=(8, max(2.4, 0.45 * len(m.services) + 1)),
                ),
            ),
            Chart(
                "ratings",
                "满意度评价",
                "Ratings",
                _bar(
                    [LEVEL_TEXT[level][0] for level in Level],
                    [sum(1 for r in m.ratings if r.level == level.value) for level in Level],
                    "满意度评价 Ratings",
                    "次 ratings",
                    font,
                ),
            ),
        ]
        ranking = _ranking(bulletin)
        charts.append(
            Chart(
                "ranking",
                "窗口排名",
                "Ranking of windows",
                _bar(
                    [label for label, _ in ranking],
                    [value for _, value in ranking],
                    "窗口排名（考核得分） Windows by score"
                    if bulletin.scores
                    else "窗口排名（办结量） Windows by cases finished",
                    "分 points" if bulletin.scores else "件 cases",
                    font,
                    horizontal=True,
                    size=(8, max(2.4, 0.3 * len(ranking) + 1)),
                ),
            )
        )
        return charts


def _ranking(bulletin: Bulletin) -> list[tuple[str, float]]:
    if bulletin.scores is not None and bulletin.scores.windows:
        lines = sorted(bulletin.scores.windows, key=lambda line: line.rank)
        return [(line.label, line.points) for line in lines]
    m = bulletin.measures
    assert m is not None
    ordered = sorted(m.windows, key=lambda w: (-w.served, w.window))
    return [(f"{w.window} {w.name_zh}", float(w.served)) for w in ordered]


def year_charts(bulletin: Bulletin) -> list[Chart]:
    summary = bulletin.year
    if summary is None:
        return []
    with _LOCK:
        font = _font()
        return [
            Chart(
                "months",
                "分月取号量",
                "Numbers taken by month",
                _bar(
                    [line.month[5:] for line in summary.months],
                    [line.issued for line in summary.months],
                    "分月取号量 Numbers taken by month",
                    "人次 visitors",
                    font,
                ),
            ),
            Chart(
                "month_waits",
                "分月平均等候",
                "Mean wait by month",
                _bar(
                    [line.month[5:] for line in summary.months],
                    [(line.mean_wait_seconds or 0) / 60 for line in summary.months],
                    "分月平均等候（分钟） Mean wait by month (min)",
                    "分钟 min",
                    font,
                ),
            ),
        ]
