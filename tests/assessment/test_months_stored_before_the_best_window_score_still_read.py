"""Months stored (and frozen) before the best window had its own score lack it, and their rules
lack its numbers: they read back without it, with the best windows chosen then, and the
bulletin shows them without the best-window points."""

from __future__ import annotations

import json
from types import SimpleNamespace

from queue_server.domain.assessment.month import result_from_dict, result_to_dict
from queue_server.domain.assessment.rules import DEFAULT_RULES, rules_from_dict, rules_to_dict
from queue_server.reports.bulletin import score_tables
from queue_server.reports.scores import score_section
from tests.assessment.facts_support import assess, fact


def test_an_old_result_reads_back_without_best_window_scores() -> None:
    result = assess([fact("guide_missing", None, 2)], windows=[1, 2], volumes={1: 9, 2: 9})
    raw = json.loads(json.dumps(result_to_dict(result)))
    assert [b["subject"] for b in raw["best_window_scores"]] == ["1", "2"]
    del raw["best_window_scores"]
    raw["best_windows"] = [2]  # as chosen back then
    old = result_from_dict(raw)
    assert old.best_window_scores == () and old.best_window_score(1) is None
    assert old.best_windows == (2,) and old.windows == result.windows


def test_old_rules_read_back_with_the_default_best_window_numbers() -> None:
    raw = json.loads(json.dumps(rules_to_dict(DEFAULT_RULES)))
    assert raw["best_window"]["ahead"] == [[0.5, 8], [0.3, 5], [0.2, 1.5]]
    del raw["best_window"]
    assert rules_from_dict(raw) == DEFAULT_RULES


def test_the_bulletin_shows_best_window_points_only_when_there_are_some() -> None:
    result = assess([], windows=[1, 2], volumes={1: 400, 2: 300})
    record = SimpleNamespace(result=result, closed=True)
    section = score_section(record, {"1": "一号窗口", "2": "二号窗口"})
    assert [(w.key, w.best_window_points, w.best_window) for w in section.windows] == [
        ("1", 100.0, True),
        ("2", 95.0, False),
    ]
    table = score_tables(section)[0]
    # then "等次说明", how a grade at the quota's edge was decided
    assert [c.zh for c in table.columns][-3:-1] == ["最佳窗口得分", "最佳窗口"]
    assert table.rows[0][-3:-1] == (100.0, "★ 最佳窗口")

    raw = result_to_dict(result)
    del raw["best_window_scores"]
    old = score_section(SimpleNamespace(result=result_from_dict(raw), closed=True), {})
    assert all(w.best_window_points is None for w in old.windows)
    assert "最佳窗口得分" not in [c.zh for c in score_tables(old)[0].columns]
