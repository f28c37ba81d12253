"""The HTTP bench says, under each engine's table, which of issue 22's targets its own run
met (bench/targets.py): a ratio below half the bare INSERT, a rate that falls as clients
are added, a slow p99 or a double call is a "NOT met". A cell run several times is judged by
the median of its pairs' ratios."""

from __future__ import annotations

from bench.targets import EngineRun, Pairs, engine_verdicts, flat_day_verdicts


def verdicts(lines: list[str]) -> list[str]:
    return [line.rpartition(": ")[2] for line in lines]


def test_it_meets_every_target_of_a_fast_sqlite_run() -> None:
    run = EngineRun(
        "sqlite",
        {
            1: Pairs.one(800.0, 1500.0, 5.0),
            10: Pairs.one(900.0, 1500.0, 30.0),
            50: Pairs.one(950.0, 1500.0, 90.0),
        },
        call=Pairs.one(600.0, 1000.0),
        double_calls=0,
    )
    lines = engine_verdicts(run)
    assert verdicts(lines) == ["met"] * 4
    assert "0.53 / 0.60 / 0.63" in lines[0]


def test_it_names_each_target_missed() -> None:
    run = EngineRun(
        "sqlite",
        {
            1: Pairs.one(300.0, 1500.0, 8.0),
            10: Pairs.one(700.0, 1400.0, 60.0),
            50: Pairs.one(650.0, 1200.0, 90.0),
        },
        call=Pairs.one(550.0, 1000.0),
        double_calls=1,
    )
    assert verdicts(engine_verdicts(run)) == ["NOT met"] * 4


def test_the_p99_bound_is_sqlites_alone() -> None:
    run = EngineRun(
        "postgres",
        {
            1: Pairs.one(200.0, 1000.0, 9.0),
            10: Pairs.one(300.0, 1000.0, 80.0),
            50: Pairs.one(400.0, 1000.0, 99.0),
        },
        call=Pairs.one(350.0, 1000.0),
        double_calls=0,
    )
    lines = engine_verdicts(run)
    assert not any("p99" in line for line in lines)
    assert verdicts(lines) == ["NOT met", "met", "NOT met"]


def test_a_grown_day_within_a_tenth_of_a_small_one_is_flat() -> None:
    lines = flat_day_verdicts({1000: {1: 400.0, 10: 700.0}, 50000: {1: 380.0, 10: 600.0}})
    assert verdicts(lines) == ["met", "NOT met"]
    assert "50,000 issued today" in lines[0] and "95%" in lines[0]
    assert flat_day_verdicts({1000: {1: 400.0}}) == []


def test_a_repeated_cell_is_judged_by_its_median_pair() -> None:
    # The middle pair's bare run was slow: its ratio alone would say "met".
    one_client = Pairs((300.0, 310.0, 305.0), (700.0, 500.0, 720.0), (7.0, 9.0, 8.0))
    run = EngineRun(
        "postgres",
        {1: one_client, 10: Pairs.one(600.0, 1000.0), 50: Pairs.one(650.0, 1000.0)},
        call=Pairs((520.0, 480.0), (1000.0, 1000.0)),
        double_calls=0,
    )
    lines = engine_verdicts(run)
    assert "0.43 (0.42-0.62) / 0.60 / 0.65" in lines[0]
    assert verdicts(lines) == ["NOT met", "met", "met"]
    assert one_client.rate == 305.0 and one_client.p99_ms == 8.0
    assert "0.50 (0.48-0.52)" in lines[2]
