"""A follow-up or complaint alert whose deadline has passed says "overdue by N working days"
(逾期 N 个工作日), not "due soon" with a negative count; one still ahead says due soon."""

from __future__ import annotations

from queue_server.domain.alerts import Rule, alert_title


def test_past_deadlines_say_overdue_in_both_languages() -> None:
    zh, en = alert_title(Rule.FOLLOW_UP_DUE.value, {"working_days_left": -23})
    assert zh == "差评回访已逾期 23 个工作日"
    assert en == "Bad-rating follow-up overdue by 23 working days"
    zh, en = alert_title(Rule.COMPLAINT_DUE.value, {"working_days_left": -1})
    assert (zh, en) == ("投诉处理已逾期 1 个工作日", "Complaint overdue by 1 working day")


def test_deadlines_ahead_and_other_rules_keep_their_titles() -> None:
    assert alert_title(Rule.FOLLOW_UP_DUE.value, {"working_days_left": 0}) == (
        "差评回访将到期",
        "Bad-rating follow-up due soon",
    )
    assert alert_title(Rule.WINDOW_UNATTENDED.value, {"minutes": 9}) == (
        "窗口无人",
        "Window unattended",
    )
    assert alert_title("retired_rule", {}) == ("retired_rule", "retired_rule")
