"""Each alert rule of queue_server.domain.alerts on hand-made facts: it stands exactly when
its threshold is passed, under a key that names the trouble."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from queue_server.domain.alerts import (
    Deadline,
    DeviceFacts,
    FloorFacts,
    Occurrence,
    Rule,
    ServiceFacts,
    Severity,
    Thresholds,
    WindowFacts,
    conditions,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LIMITS = Thresholds(queue_over=10, unattended_grace_minutes=5, device_offline_seconds=150)
MIN = timedelta(minutes=1)


def rules(**facts: object) -> list[tuple[Rule, str]]:
    found = conditions(FloorFacts(now=NOW, in_hours=True, **facts), LIMITS)  # type: ignore[arg-type]
    return [(c.rule, c.key) for c in found]


def service(waiting: int = 1, longest: timedelta | None = None) -> ServiceFacts:
    return ServiceFacts("SOC", waiting, longest, timedelta(minutes=30))


def test_a_wait_over_its_target() -> None:
    assert rules(services=[service(longest=30 * MIN)]) == []
    assert rules(services=[service(longest=31 * MIN)]) == [(Rule.WAIT_OVER_TARGET, "wait:SOC")]
    assert rules(services=[service(0, None)]) == []


def test_a_queue_over_the_limit() -> None:
    assert rules(services=[service(waiting=10)]) == []
    assert rules(services=[service(waiting=11)]) == [(Rule.QUEUE_OVER_LIMIT, "queue:SOC")]


def window(**kw: object) -> WindowFacts:
    values: dict[str, object] = {
        "number": 3,
        "is_open": True,
        "staffed": False,
        "paused_since": None,
        "pause_reason": None,
        "unattended_since": NOW - 6 * MIN,
    }
    values.update(kw)
    return WindowFacts(**values)  # type: ignore[arg-type]


def test_a_window_unattended_past_the_grace() -> None:
    [(rule, key)] = rules(windows=[window()])
    assert rule is Rule.WINDOW_UNATTENDED and key.startswith("unattended:3:")
    assert rules(windows=[window(unattended_since=NOW - 4 * MIN)]) == []
    assert rules(windows=[window(staffed=True, unattended_since=None)]) == []
    assert rules(windows=[window(is_open=False)]) == [], "a closed window is nobody's post"
    outside = conditions(FloorFacts(now=NOW, in_hours=False, windows=[window()]), LIMITS)
    assert outside == []


def test_a_pause_over_the_limit_of_its_reason() -> None:
    on_break = window(staffed=True, paused_since=NOW - 16 * MIN, pause_reason="break")
    assert [r for r, _ in rules(windows=[on_break])] == [Rule.PAUSE_OVER_LIMIT]
    meeting = window(staffed=True, paused_since=NOW - 16 * MIN, pause_reason="meeting")
    assert rules(windows=[meeting]) == [], "a meeting may last an hour"
    unattended_but_paused = window(paused_since=NOW - 1 * MIN, pause_reason="break")
    assert rules(windows=[unattended_but_paused]) == [], "a paused window is not unattended"


def test_printer_paper_and_silent_devices() -> None:
    def device(printer: str | None, seen: timedelta | None = MIN) -> list[Rule]:
        last = None if seen is None else NOW - seen
        return [r for r, _ in rules(devices=[DeviceFacts("kiosk-1", "kiosk", last, printer)])]

    assert device("ok") == []
    assert device("paper_low") == [Rule.PRINTER_PAPER_LOW]
    assert device("paper_out") == [Rule.PRINTER_PAPER_OUT]
    assert device("offline") == [Rule.PRINTER_OFFLINE]
    assert device("paper_out", seen=3 * MIN) == [Rule.DEVICE_OFFLINE], "silence says more"
    assert device(None, seen=None) == [], "a device that never reported is not an alert"


def test_help_requests_and_bad_ratings_each_raise_their_own() -> None:
    found = conditions(
        FloorFacts(
            now=NOW,
            in_hours=True,
            occurrences=[
                Occurrence(Rule.HELP_REQUESTED, "7", NOW, device="kiosk-1"),
                Occurrence(Rule.HELP_REQUESTED, "9", NOW, device="kiosk-1"),
                Occurrence(Rule.BAD_RATING, "r1", NOW, window=2),
            ],
        ),
        LIMITS,
    )
    assert [c.key for c in found] == ["help_requested:7", "help_requested:9", "bad_rating:r1"]
    assert all(c.severity is Severity.URGENT for c in found)


def test_follow_ups_and_complaints_near_their_deadline() -> None:
    def due(left: int, rule: Rule = Rule.FOLLOW_UP_DUE) -> list[str]:
        deadline = Deadline(rule, "f1", date(2026, 11, 27), left, window=2)
        return [k for _, k in rules(deadlines=[deadline])]

    assert due(2) == []
    assert due(1) == ["follow_up_due:f1"]
    assert due(-1) == ["follow_up_due:f1"], "overdue stays on the list"
    assert due(0, Rule.COMPLAINT_DUE) == ["complaint_due:f1"]
