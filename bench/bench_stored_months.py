"""Reading stored assessment months: the readers that need a few fields of a busy month's
stored result, beside decoding that whole result (what they did before) in the same run.

    .venv/bin/python -m bench.bench_stored_months [--windows 40] [--tickets 150000]
        [--engines sqlite,postgres] [--postgres URL] [--runs 3]

One busy month (bench/report_synthetic.py) is closed, and its stored row copied to the other
eleven months of the year (a busy year of closed months). Then, each timed `--runs` times:
- whole result: one month's row read and decoded as the ORM does (the floor of any reader
  that rebuilds a result), and the "before" rows: what each reader did until 4 December
  2026 (the previous month's grades read its whole result, the corrections decoded and
  walked every closed month's, the yearly summary rebuilt twelve results);
- grades: the previous month's staff grades (`stored_staff_grades`);
- frozen months: what every closed month counted (`frozen_months`, from the stored evidence),
  which every run of a month and every listing of the entries reads;
- year: the yearly summary of twelve months (`AssessmentService.year`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from datetime import date

from sqlalchemy import select, text

from bench.bench_assessment import supervision_records
from bench.bench_reports import NOW, database, timed
from bench.report_synthetic import HALL, fill, hall_config
from queue_server.domain.assessment.corrections import frozen_month, month_evidence
from queue_server.domain.assessment.month import MonthResult, result_from_dict
from queue_server.domain.clock import ManualClock
from queue_server.services.assessment import AssessmentService
from queue_server.services.assessment_corrections import frozen_months
from queue_server.services.database import Database
from queue_server.services.event_log import SYSTEM
from queue_server.services.halls import HallRegistry
from queue_server.services.stored_months import stored_staff_grades
from queue_server.storage.assessment_tables import AssessmentMonth
from queue_server.storage.engine import make_engine

COLUMNS = "hall_id, state, result, rules, evidence, runs, run_at, closed_at, closed_by"


def busy_year(url: str, windows: int, tickets: int) -> tuple[Database, AssessmentService, int]:
    config = hall_config(windows)
    engine = make_engine(url)
    fill(engine, config, [date(2026, 10, 1)], tickets, 1)
    db = Database(engine)
    halls = HallRegistry([config])
    supervision_records(db, halls, date(2026, 10, 1))
    service = AssessmentService(db, halls, ManualClock(NOW))
    service.close_month(HALL, "2026-10", SYSTEM)
    with engine.begin() as connection:
        for month in [f"2026-{m:02d}" for m in range(1, 13) if m != 10]:
            connection.execute(
                text(
                    f"INSERT INTO assessment_months (month, {COLUMNS}) SELECT :month, "
                    f"{COLUMNS} FROM assessment_months WHERE month = '2026-10'"
                ),
                {"month": month},
            )
        size = connection.scalar(
            text("SELECT length(CAST(result AS TEXT)) FROM assessment_months LIMIT 1")
        )
    return db, service, int(size or 0)


def row(engine: str, size: int, what: str, seconds: list[float], floor: float) -> str:
    median = statistics.median(seconds)
    spread = f"{min(seconds):.3f}-{max(seconds):.3f}"
    return f"| {engine} | {size / 1e6:.1f} MB | {what} | {spread} | {median / floor:.2f} |"


def run(url: str, args: argparse.Namespace) -> list[str]:
    db, service, size = busy_year(url, args.windows, args.tickets)
    engine = db.engine.dialect.name

    def whole_result() -> object:
        with db.read() as session:
            return session.scalar(
                select(AssessmentMonth).where(
                    AssessmentMonth.hall_id == HALL, AssessmentMonth.month == "2026-10"
                )
            ).result  # type: ignore[union-attr]

    def grades() -> object:
        with db.read() as session:
            return stored_staff_grades(session, HALL, "2026-10")

    def frozen() -> object:
        with db.read() as session:
            return frozen_months(session, HALL)

    def months_rebuilt() -> list[tuple[str, MonthResult]]:
        with db.read() as session:
            rows = session.scalars(
                select(AssessmentMonth)
                .where(AssessmentMonth.hall_id == HALL)
                .order_by(AssessmentMonth.month)
            )
            return [(r.month, result_from_dict(r.result)) for r in rows]

    def frozen_before() -> object:
        with db.read() as session:
            rows = session.execute(
                select(AssessmentMonth.month, AssessmentMonth.closed_at, AssessmentMonth.result)
            )
            return {m: frozen_month(m, at, month_evidence(result)) for m, at, result in rows}

    readers = {
        "whole result of one month (the floor)": whole_result,
        "before: previous month's grades (its whole result)": whole_result,
        "previous month's grades": grades,
        "before: what the 12 closed months counted (their whole results)": frozen_before,
        "what the 12 closed months counted": frozen,
        "before: yearly summary (12 results rebuilt)": months_rebuilt,
        "yearly summary of 12 months": lambda: service.year(HALL, 2026),
    }
    times: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(args.runs):
        for name, reader in readers.items():
            times[name].append(timed(reader)[1])
    floor = statistics.median(times["whole result of one month (the floor)"])
    db.engine.dispose()
    return [row(engine, size, name, seconds, floor) for name, seconds in times.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--tickets", type=int, default=150_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        "| engine | stored result | reader | s (min-max) | x whole result |\n|---|---|---|---|---|",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
            with database(name, args.postgres, folder) as url:
                print("\n".join(run(url, args)), flush=True)


if __name__ == "__main__":
    main()
