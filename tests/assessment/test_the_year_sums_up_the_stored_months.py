"""The yearly summary is read from the months as they were stored (closed ones frozen): each
subject's total and grade per month, its average and grade counts, the best windows and the
flags, the same on both engines as the stored results say (the database's JSON reader picks
them out; no whole result is rebuilt)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.deps import Services
from queue_server.domain.assessment.month import MonthResult, result_to_dict
from queue_server.domain.clock import ManualClock
from queue_server.services.assessment import AssessmentService
from queue_server.storage.assessment_tables import AssessmentMonth
from tests.assessment.facts_support import assess, fact
from tests.support.factories import local, make_services

WINDOWS = list(range(1, 11))  # 10 windows: two best-window places
STAFF = ["S1", "S2", "S3"]
BAD_MONTH = ["absence"] * 4 + ["improper_gain", "fee_rule_broken"] + ["serious_quarrel"] * 2


def _month(extra: list[str], previous: dict[str, str] | None = None) -> MonthResult:
    facts = [fact("guide_missing", None, 2)]  # window 2: 99, window 1: 100
    facts += [fact("unattended", None, w) for w in WINDOWS[2:]]  # the others: 95
    facts += [fact(kind, "S2") for kind in BAD_MONTH]  # S2: incompetent
    facts += [fact(kind, "S3") for kind in extra]
    return assess(
        facts,
        staff=STAFF,
        windows=WINDOWS,
        volumes={w: 100 for w in WINDOWS},
        previous_grades=previous or {},
    )


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, clock=clock)
    yield built
    built.db.engine.dispose()


def _store(services: Services, month: str, result: MonthResult, state: str) -> None:
    at = local(2026, 12, 1, 9, 0)
    with services.db.write() as work:
        work.session.add(
            AssessmentMonth(
                hall_id="test",
                month=month,
                state=state,
                result=result_to_dict(result),
                rules={},
                runs=1,
                run_at=at,
                closed_at=at if state == "closed" else None,
            )
        )


def test_it_reads_each_months_totals_grades_best_windows_and_flags(
    services: Services, clock: ManualClock
) -> None:
    october = _month(["late"])
    november = _month(["late", "late", "absence"], previous={"S2": "incompetent"})
    earlier = _month([])
    assert october.best_windows == (1, 2) and november.flags  # the fixture is what it says
    _store(services, "2026-10", october, "closed")
    _store(services, "2026-11", november, "open")
    _store(services, "2025-12", earlier, "closed")  # another year: left out
    clock.set(local(2026, 12, 2, 10, 0))

    year = AssessmentService(services.db, services.halls, clock).year("test", 2026)

    months = {"2026-10": october, "2026-11": november}
    assert year.months == {"2026-10": "closed", "2026-11": "open"}
    assert year.best_windows == {m: list(r.best_windows) for m, r in months.items()}
    assert year.flags == {
        m: [f"{f.staff_no}: {f.kind}" for f in r.flags] for m, r in months.items()
    }
    assert year.flags["2026-11"] == ["S2: incompetent_twice"]
    for lines, side in ((year.staff, "staff"), (year.windows, "windows")):
        expected: dict[str, dict[str, tuple[float, str]]] = {}
        for m, result in months.items():
            for graded in getattr(result, side):
                expected.setdefault(graded.score.subject, {})[m] = (
                    graded.score.total,
                    graded.grade,
                )
        assert {line.subject: line.months for line in lines} == expected
        for line in lines:
            totals = [total for total, _ in line.months.values()]
            assert line.average == round(sum(totals) / len(totals), 2)
            assert sum(line.grades.values()) == len(line.months)
            stored = [getattr(months[m], side) for m in line.months]
            # a total reads back as the type it was stored with (an int stays an int)
            assert [type(t) for t in totals] == [
                type(next(g for g in s if g.score.subject == line.subject).score.total)
                for s in stored
            ]
        averages = [(-line.average, line.subject) for line in lines]
        assert averages == sorted(averages)
    s3 = next(line for line in year.staff if line.subject == "S3")
    assert list(s3.months) == ["2026-10", "2026-11"]
    assert s3.months["2026-10"][0] > s3.months["2026-11"][0]
    assert AssessmentService(services.db, services.halls, clock).year("test", 2024).months == {}
