"""Monthly assessment (scoring) for a busy synthetic hall, and a year of months, beside a plain
SQL aggregate over the same event rows in the same run.

    .venv/bin/python -m bench.bench_assessment [--windows 40] [--tickets 150000]
        [--year-tickets 10000] [--no-year] [--engines sqlite,postgres] [--postgres URL]

The rows come from bench/report_synthetic.py (the reports benchmark's bulk writer); on top,
supervision's records: per window 3 manual entries and 1 upheld complaint per month. Times:
the SQL aggregate (floor), the month's measures (reports), the scoring alone (facts, parts,
grades, quotas, flags from the measures already made) and a whole `run_month` (measures +
scoring + storing the explained result).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date, datetime

from bench.bench_reports import NOW, bounds, database, forget_kept_passes, sql_aggregate, timed
from bench.report_synthetic import HALL, fill, hall_config
from queue_server.config.models import HallConfig
from queue_server.domain.assessment.complaints import Channel
from queue_server.domain.assessment.month import MonthInput, assess_month, month_bounds
from queue_server.domain.clock import ManualClock
from queue_server.services import assessment_facts as facts_of
from queue_server.services.assessment import AssessmentService
from queue_server.services.complaints import ComplaintService, NewComplaint
from queue_server.services.database import Database
from queue_server.services.event_log import SYSTEM
from queue_server.services.halls import HallRegistry
from queue_server.services.manual_entries import ManualEntryService, NewEntry, hall_rules
from queue_server.services.reports import ReportService
from queue_server.storage.engine import make_engine

ENTRY_KINDS = ("guide_missing", "pennant", "letter_of_thanks")


def supervision_records(db: Database, halls: HallRegistry, month: date) -> None:
    clock = ManualClock(datetime.combine(month.replace(day=20), datetime.min.time(), NOW.tzinfo))
    entries = ManualEntryService(db, halls, clock)
    complaints = ComplaintService(db, halls, clock)
    for window in halls.get(HALL).config.windows:
        for kind in ENTRY_KINDS:
            entries.add(
                HALL, NewEntry(kind, month.replace(day=10), "bench", None, window.number), SYSTEM
            )
        view, _ = complaints.register(
            HALL, NewComplaint(Channel.PHONE, "bench", window=window.number), SYSTEM
        )
        complaints.pass_to_window(HALL, view.id, SYSTEM)
        complaints.answer(HALL, view.id, "bench", SYSTEM)
        complaints.close(HALL, view.id, True, "bench", SYSTEM)


def scoring_only(
    db: Database, halls: HallRegistry, config: HallConfig, month: str, measures: object
) -> tuple[int, int]:
    """(facts, staff scored): what run_month does after the measures, without storing."""
    first, last = month_bounds(month)
    with db.read() as session:
        facts = [
            *facts_of.measured_facts(measures),  # type: ignore[arg-type]
            *facts_of.complaint_facts(session, HALL, first, last),
            *facts_of.entry_facts(session, HALL, first, last),
        ]
        decided = facts_of.decisions(session, HALL, last)
    result = assess_month(
        hall_rules(halls.get(HALL)),
        MonthInput(
            HALL,
            month,
            facts_of.assessed_staff(measures),  # type: ignore[arg-type]
            facts_of.assessed_windows(measures),  # type: ignore[arg-type]
            facts,
            decided,
        ),
    )
    return len(facts), len(result.staff)


def run_month(url: str, args: argparse.Namespace) -> str:
    config = hall_config(args.windows)
    engine = make_engine(url)
    first = date(2026, 10, 1)
    (tickets, events), fill_s = timed(
        lambda: fill(engine, config, [first], args.tickets, args.seed)
    )
    db = Database(engine)
    halls = HallRegistry([config])
    supervision_records(db, halls, first)
    clock = ManualClock(NOW)
    _, sql_s = timed(lambda: sql_aggregate(db, *bounds(first, date(2026, 11, 1))))
    measures, measure_s = timed(
        lambda: ReportService(db, halls, clock).month_measures(HALL, "2026-10")
    )
    (facts, _), score_s = timed(lambda: scoring_only(db, halls, config, "2026-10", measures))
    service = AssessmentService(db, halls, clock)
    forget_kept_passes(db)  # a first run: the month read whole
    record, run_s = timed(lambda: service.run_month(HALL, "2026-10", SYSTEM))
    _, again_s = timed(lambda: service.run_month(HALL, "2026-10", SYSTEM))  # the pass kept
    engine.dispose()
    return (
        f"| {engine.dialect.name} | month | {tickets} | {events} | {fill_s:.1f} | {sql_s:.2f} | "
        f"{measure_s:.2f} | {score_s:.3f} | {facts} | {len(record.result.staff)} | "
        f"{run_s:.2f} | {run_s / sql_s:.1f} | {again_s:.2f} | {again_s / sql_s:.1f} |"
    )


def run_year(url: str, args: argparse.Namespace) -> str:
    config = hall_config(args.windows)
    engine = make_engine(url)
    months = [date(2026, m, 1) for m in range(1, 13)]
    (tickets, events), fill_s = timed(
        lambda: fill(engine, config, months, args.year_tickets, args.seed)
    )
    db = Database(engine)
    halls = HallRegistry([config])
    for first in months:
        supervision_records(db, halls, first)
    clock = ManualClock(NOW)
    _, sql_s = timed(lambda: sql_aggregate(db, *bounds(months[0], date(2027, 1, 1))))
    service = AssessmentService(db, halls, clock)

    def whole_year() -> int:
        for first in months:
            service.close_month(HALL, f"{first:%Y-%m}", SYSTEM)
        return len(service.year(HALL, 2026).staff)

    staff, run_s = timed(whole_year)
    engine.dispose()
    return (
        f"| {engine.dialect.name} | year: 12 closes + summary | {tickets} | {events} | "
        f"{fill_s:.1f} | {sql_s:.2f} | - | - | - | {staff} | {run_s:.2f} | {run_s / sql_s:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--tickets", type=int, default=150_000)
    parser.add_argument("--year-tickets", type=int, default=10_000, help="per month")
    parser.add_argument("--no-year", action="store_true")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| engine | period | tickets | events | fill s | SQL aggregate s | measures s | "
        "scoring only s | facts | staff | run_month s | run / SQL | again s | again / SQL |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
            with database(name, args.postgres, folder) as url:
                print(run_month(url, args), flush=True)
            if not args.no_year:
                with database(name, args.postgres, folder) as url:
                    print(run_year(url, args), flush=True)


if __name__ == "__main__":
    main()
