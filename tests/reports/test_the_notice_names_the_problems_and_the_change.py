"""The notice's body is written from the month's figures: the change against last month, the
honour roll, and the problems found with the windows and staff concerned."""

from __future__ import annotations

from datetime import date

from queue_server.domain.month_measures import ScoreLine, ScoreSection
from queue_server.reports.notice import NoticeSettings, month_notice
from tests.reports.conftest import PlayedMonth

SETTINGS = NoticeSettings("测试中心", "测政通", 11, "各窗口", date(2026, 12, 3))


def _scores(bob: str) -> ScoreSection:
    return ScoreSection(
        windows=[
            ScoreLine("window", "2", "二号窗口", 96.0, "优秀 excellent", 1, {}, True,
                      best_window_points=95.0, grade_zh="优秀"),
            ScoreLine("window", "1", "一号窗口", 58.0, "不合格 fail", 2, {}, grade_zh="不合格"),
        ],
        staff=[
            ScoreLine("staff", bob, bob, 55.0, "不称职 incompetent", 1, {},
                      flags=("连续两个月不称职 incompetent in 2026-10 and this month",),
                      grade_zh="不称职"),
        ],
        closed=True,
        tie_rule_zh="同分时扣分少者优先；仍相同者均不占名额",
    )  # fmt: skip


def _text(notice_sections: list[object]) -> str:
    return "".join("".join(s.paragraphs) for s in notice_sections)  # type: ignore[attr-defined]


def test_problems_name_the_windows_and_staff_concerned(played: PlayedMonth) -> None:
    notice = month_notice(played.measures, SETTINGS, _scores(played.script.bob))
    assert notice.document_number == "测政通〔2026〕11号"
    assert notice.title == "关于2026年11月运行情况的通报"
    roll, problems = notice.sections[1], notice.sections[2]
    assert "二号窗口（最佳窗口评分95分）被评为本月“最佳窗口”" in "".join(roll.paragraphs)
    text = "".join(problems.paragraphs)
    assert "迟到：" in text and "窗口无人：" in text  # the scripted day's attendance
    assert "一号窗口（58分，不合格）" in text
    assert f"{played.script.bob}（55分，不称职）" in text
    assert f"{played.script.bob}（连续两个月不称职）" in text
    assert problems.paragraphs[0].startswith("（一）")
    assert "上月无运行数据，本期不作环比。" in _text(notice.sections)


def test_the_change_against_last_month_is_stated(played: PlayedMonth) -> None:
    notice = month_notice(played.measures, SETTINGS, None, previous=played.measures)
    overview = "".join(notice.sections[0].paragraphs)
    assert f"办结{played.measures.totals.served}件，与上月持平" in overview
    assert "上月无运行数据" not in overview
    assert "本月考核尚未进行" in "".join(notice.sections[1].paragraphs)
