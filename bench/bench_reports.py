"""Month measures and the bulletin for a busy synthetic hall, and a year, beside a plain SQL
aggregate over the same event rows in the same run.

    .venv/bin/python -m bench.bench_reports [--windows 40] [--tickets 150000]
        [--year-tickets 10000] [--no-year] [--engines sqlite,postgres] [--postgres URL]

The rows are written in bulk by bench/report_synthetic.py (valid hash chain, real payloads);
PostgreSQL runs in a private schema of HALLQ_TEST_POSTGRES_URL (or --postgres), dropped after.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from bench.report_synthetic import HALL, fill, hall_config
from queue_server.domain.clock import ManualClock
from queue_server.reports.bulletin import month_bulletin, year_bulletin
from queue_server.reports.charts import month_charts
from queue_server.reports.csv_files import render_csv
from queue_server.reports.html import render_html
from queue_server.reports.pdf import render_pdf
from queue_server.reports.xlsx import render_xlsx
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry
from queue_server.services.reports import QUERIED_KINDS, ReportService
from queue_server.simulation.inprocess import month_days
from queue_server.storage.engine import make_engine
from queue_server.storage.report_tables import MonthPassCheckpoint
from queue_server.storage.tables import Event

MONTH = date(2026, 10, 1)
NOW = datetime(2027, 1, 15, 2, 0, tzinfo=UTC)


@contextmanager
def database(engine_name: str, postgres: str | None, folder: str) -> Iterator[str]:
    if engine_name == "sqlite":
        yield f"sqlite:///{Path(folder) / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    if not postgres:
        raise SystemExit("PostgreSQL: set HALLQ_TEST_POSTGRES_URL or pass --postgres URL")
    url = make_url(postgres)
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    schema = f"bench_reports_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def forget_kept_passes(db: Database) -> None:
    """No month pass kept from an earlier run (services/month_checkpoints.py)."""
    with db.write() as work:
        work.session.execute(delete(MonthPassCheckpoint))


def progress(day: date, tickets: int, events: int) -> None:
    print(f"  filled {day}: {tickets} tickets, {events} events", file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def sql_aggregate(db: Database, start: datetime, end: datetime) -> int:
    """The plain SQL floor: every measured event row of the period, counted per kind and
    window (what a hand-written report query would at least have to touch)."""
    with db.read() as session:
        rows = session.execute(
            select(Event.kind, Event.window_no, func.count())
            .where(
                Event.hall_id == HALL,
                Event.kind.in_(QUERIED_KINDS),
                Event.at >= start,
                Event.at < end,
            )
            .group_by(Event.kind, Event.window_no)
        ).all()
    return sum(int(n) for _, _, n in rows)


def bounds(first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    zone = hall_config(2).hall.calendar().zone
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(UTC),
        datetime.combine(last_exclusive, datetime.min.time(), tzinfo=zone).astimezone(UTC),
    )


def run_month(url: str, args: argparse.Namespace, out: list[str]) -> None:
    config = hall_config(args.windows)
    engine = make_engine(url)
    db = Database(engine)
    reports = ReportService(db, HallRegistry([config]), ManualClock(NOW))
    nightly: list[float] = []
    last_day = max(d for d in month_days("2026-10") if config.hall.calendar().is_working_day(d))

    def evening(day: date, tickets: int, events: int) -> None:
        progress(day, tickets, events)
        if args.nightly and day != last_day:  # the month's last evening is not kept yet
            nightly.append(timed(lambda: reports.month_measures(HALL, "2026-10"))[1])

    (tickets, events), fill_s = timed(
        lambda: fill(engine, config, [MONTH], args.tickets, args.seed, evening)
    )
    start, end = bounds(MONTH, date(2026, 11, 1))
    counted, sql_s = timed(lambda: sql_aggregate(db, start, end))
    if args.nightly:
        # The first run after the month ends, kept every evening but its last (the timer).
        after, after_s = timed(lambda: reports.month_measures(HALL, "2026-10"))
        assert after.events == counted
        out.append(
            f"| {engine.dialect.name} | nightly keeps: {len(nightly)}, mean "
            f"{sum(nightly) / len(nightly):.2f} s, max {max(nightly):.2f} s | first run after "
            f"the month: {after_s:.2f} s, {after_s / sql_s:.1f}x the SQL aggregate |"
        )
        print(out[-1], flush=True)
    forget_kept_passes(db)
    measures, measure_s = timed(lambda: reports.month_measures(HALL, "2026-10"))
    assert measures.events == counted, (measures.events, counted)
    # Again, as the bulletin, a re-run or the year's summary asks: the kept pass, no new event.
    again, again_s = timed(lambda: reports.month_measures(HALL, "2026-10"))
    assert again == measures
    bulletin = month_bulletin(measures, NOW)
    charts, charts_s = timed(lambda: month_charts(bulletin))
    _, html_s = timed(lambda: render_html(bulletin, charts))
    _, pdf_s = timed(lambda: render_pdf(bulletin, charts))
    _, xlsx_s = timed(lambda: render_xlsx(bulletin))
    _, csv_s = timed(lambda: render_csv(bulletin))
    engine.dispose()
    name = engine.dialect.name
    out.append(
        f"| {name} | month | {tickets} | {events} | {fill_s:.1f} | {sql_s:.2f} | "
        f"{measure_s:.2f} | {measure_s / sql_s:.1f} | {again_s:.2f} | {again_s / sql_s:.1f} | "
        f"{1e6 * measure_s / events:.1f} | "
        f"{charts_s + html_s:.2f} | {pdf_s:.2f} | {xlsx_s:.2f} | {csv_s:.2f} |"
    )
    print(out[-1], flush=True)


def run_year(url: str, args: argparse.Namespace, out: list[str]) -> None:
    config = hall_config(args.windows)
    engine = make_engine(url)
    months = [date(2026, m, 1) for m in range(1, 13)]
    (tickets, events), fill_s = timed(
        lambda: fill(engine, config, months, args.year_tickets, args.seed, progress)
    )
    db = Database(engine)
    reports = ReportService(db, HallRegistry([config]), ManualClock(NOW))
    start, end = bounds(months[0], date(2027, 1, 1))
    counted, sql_s = timed(lambda: sql_aggregate(db, start, end))
    (summary, measured), year_s = timed(lambda: reports.year_summary(HALL, 2026))
    assert sum(m.events for m in measured) == counted
    _, again_s = timed(lambda: reports.year_summary(HALL, 2026))  # each month's pass kept
    bulletin = year_bulletin(summary, NOW)
    charts, charts_s = timed(lambda: month_charts(bulletin))
    _, pdf_s = timed(lambda: render_pdf(bulletin, charts))
    _, xlsx_s = timed(lambda: render_xlsx(bulletin))
    engine.dispose()
    out.append(
        f"| {engine.dialect.name} | year (12 months) | {tickets} | {events} | {fill_s:.1f} | "
        f"{sql_s:.2f} | {year_s:.2f} | {year_s / sql_s:.1f} | {again_s:.2f} | "
        f"{again_s / sql_s:.1f} | {1e6 * year_s / events:.1f} | "
        f"{charts_s:.2f} | {pdf_s:.2f} | {xlsx_s:.2f} | - |"
    )
    print(out[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--tickets", type=int, default=150_000, help="tickets in the month")
    parser.add_argument(
        "--year-tickets", type=int, default=10_000, help="tickets per month in the year run"
    )
    parser.add_argument("--no-year", action="store_true")
    parser.add_argument(
        "--nightly",
        action="store_true",
        help="keep the month's pass after each filled day but the last (hallq report keep), "
        "then time the month's first run after it ends",
    )
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    header = (
        "| engine | period | tickets | events | fill s | SQL aggregate s | measures s | "
        "measures / SQL | again s | again / SQL | µs per event | charts+HTML s | PDF s | "
        "XLSX s | CSV s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    print(header, flush=True)
    out: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
            with database(name, args.postgres, folder) as url:
                run_month(url, args, out)
            if not args.no_year:
                with database(name, args.postgres, folder) as url:
                    run_year(url, args, out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run: {peak:.0f} MB")


if __name__ == "__main__":
    main()
