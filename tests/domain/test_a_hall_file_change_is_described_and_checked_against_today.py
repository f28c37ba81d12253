"""The baseline rules of domain/hall_baseline.py: an arrangement's digest ignores everything
but the arrangement, a change between two files is listed per hall, service and window, and
a change to what the duty lead decided today is reported as kept until the day ends."""

from __future__ import annotations

from queue_server.domain.hall_baseline import (
    Arrangement,
    DecidedToday,
    ServiceBaseline,
    WindowBaseline,
    changes_between,
    conflicts,
)
from queue_server.services.halls import arrangement_of
from tests.support.factories import small_hall


def hall(windows: dict[int, dict[str, int]], prefix_b: str = "B") -> Arrangement:
    return Arrangement(
        name_zh="测试大厅",
        name_en="Test hall",
        timezone="Asia/Shanghai",
        services={"SOC": ServiceBaseline("社保", "A"), "TAX": ServiceBaseline("税务", prefix_b)},
        windows={n: WindowBaseline(f"{n}号窗口", s) for n, s in windows.items()},
    )


def test_the_digest_is_the_arrangement_only() -> None:
    one = arrangement_of(small_hall())
    assert one.digest() == arrangement_of(small_hall(guard=5, daily_cap=7)).digest()
    assert Arrangement.from_json(one.to_json()) == one
    assert one.digest() != hall({1: {"SOC": 1}}).digest()


def test_changes_name_each_service_and_window() -> None:
    old = hall({1: {"SOC": 3, "TAX": 1}, 2: {"TAX": 1}})
    new = hall({1: {"SOC": 1}, 3: {"TAX": 1}}, prefix_b="C")
    described = [c.describe() for c in changes_between(old, new)]
    assert described == [
        "service TAX prefix: 'B' -> 'C'",
        "window 1 services: {'SOC': 3, 'TAX': 1} -> {'SOC': 1}",
        "window 2 removed",
        "window 3 added",
    ]
    assert changes_between(old, old) == []


def test_only_changes_to_todays_decisions_conflict() -> None:
    old = hall({1: {"SOC": 3}, 2: {"TAX": 1}})
    new = hall({1: {"SOC": 1}, 2: {"TAX": 2}})
    changes = changes_between(old, new)
    assert conflicts(changes, DecidedToday()) == []
    decided = DecidedToday(window_services=frozenset({2}), window_open=frozenset({1}))
    [kept] = conflicts(changes, decided)
    assert kept.startswith("window 2: the file changes its services")
