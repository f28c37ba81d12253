"""`hallq report month|year`: the bulletin files from the database (progress on stderr)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from queue_server.config.models import HallConfig
    from queue_server.domain.clock import Clock
    from queue_server.reports.chain_head import ChainHead
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry


class Progress:
    """One line on stderr, rewritten in place on a terminal and printed every few seconds
    otherwise (logs)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self.last = 0.0

    def say(self, text: str, *, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and not self.tty and now - self.last < 2:
            return
        self.last = now
        line = f"[{now - self.started:6.1f} s] {text}"
        end = "\n" if final or not self.tty else ""
        print(("\r\033[K" if self.tty else "") + line, end=end, file=self.stream, flush=True)

    def events(self, label: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            share = f" ({100 * done / total:.0f} %)" if total else ""
            self.say(f"{label}: {done}/{total} events read{share}", final=done >= total > 0)

        return report


def _configs(paths: list[str] | None) -> list[HallConfig]:
    from queue_server.config import load_hall_config, load_hall_configs
    from queue_server.demo import EXAMPLE_CONFIG
    from queue_server.settings import Settings

    chosen = [str(p) for p in (paths or Settings().config_paths())]
    if not chosen:
        # The demo hall with its real opening hours, the ones its past month was simulated
        # in (the running demo opens around the clock so that it is never closed).
        return [load_hall_config(EXAMPLE_CONFIG)]
    return load_hall_configs(chosen)


def _open(args: argparse.Namespace) -> tuple[Database, HallRegistry, Clock, str]:
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry
    from queue_server.settings import Settings, process_clock
    from queue_server.storage.engine import make_engine

    configs = _configs(args.config)
    registry = HallRegistry(configs)
    hall = args.hall or configs[0].hall.id
    db = Database(make_engine(args.database or Settings().database_url))
    return db, registry, process_clock(), hall


def _anchor(db: Database, clock: Clock, hall: str, month: str, directory: str | None) -> ChainHead:
    """Each bulletin prints the chain head and signs it into a checkpoint file."""
    from queue_server.reports.chain_head import ChainHead
    from queue_server.services.chain_anchor import anchor_now, load_or_create_signing_key
    from queue_server.settings import Settings

    settings = Settings()
    key = load_or_create_signing_key(Path(settings.checkpoint_key_file))
    checkpoint, path = anchor_now(
        db, clock, hall, f"bulletin-{month}", Path(directory or settings.checkpoint_dir), key
    )
    return ChainHead(checkpoint.seq, checkpoint.hash, checkpoint.at, path.name)


def cmd_month(args: argparse.Namespace) -> int:
    from queue_server.config import ConfigError
    from queue_server.domain.errors import RuleViolation
    from queue_server.reports.bulletin import month_bulletin
    from queue_server.reports.fonts import CjkFontMissing
    from queue_server.reports.notice_source import build_notice
    from queue_server.reports.render import parse_formats, write_bulletin
    from queue_server.reports.scores import load_scores
    from queue_server.reports.service import ReportService

    progress = Progress()
    try:
        formats = parse_formats(args.format)
        db, halls, clock, hall = _open(args)
    except (ValueError, ConfigError) as exc:
        print(f"hallq report: {exc}", file=sys.stderr)
        return 2
    try:
        reports = ReportService(db, halls, clock)
        progress.say(f"measuring {args.month} for hall {hall}", final=True)
        measures = reports.month_measures(hall, args.month, progress.events(args.month))
        scores = load_scores(db, halls, clock, hall, measures.month)
        head = _anchor(db, clock, hall, measures.month, args.checkpoint_dir)
        bulletin = month_bulletin(measures, clock.now(), scores, head)
        notice = None
        if "pdf" in formats and args.edition == "zh":
            progress.say("comparing with the month before", final=True)
            notice = build_notice(
                db, halls, clock, measures, scores, args.number, args.issued_on, head
            )
        out = Path(args.out)
        written = write_bulletin(
            bulletin,
            out,
            formats,
            f"bulletin-{hall}-{measures.month}",
            lambda step: progress.say(f"writing {step}", final=True),
            notice,
            args.edition,
        )
    except (RuleViolation, CjkFontMissing) as exc:
        print(f"hallq report: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    finally:
        db.engine.dispose()
    t = measures.totals
    print(
        f"{measures.month} hall {hall}: {t.issued} numbers, {t.served} finished, "
        f"{measures.events} events"
        + ("" if scores else "; no assessment stored for the month (scores left out)")
    )
    for path in written:
        print(path)
    return 0


def cmd_year(args: argparse.Namespace) -> int:
    from queue_server.config import ConfigError
    from queue_server.domain.errors import RuleViolation
    from queue_server.reports.bulletin import year_bulletin
    from queue_server.reports.fonts import CjkFontMissing
    from queue_server.reports.render import parse_formats, write_bulletin
    from queue_server.reports.service import ReportService

    progress = Progress()
    try:
        formats = parse_formats(args.format)
        db, halls, clock, hall = _open(args)
    except (ValueError, ConfigError) as exc:
        print(f"hallq report: {exc}", file=sys.stderr)
        return 2

    def month_progress(label: str, done: int, total: int) -> None:
        progress.events(label)(done, total)

    try:
        reports = ReportService(db, halls, clock)
        summary, _months = reports.year_summary(hall, args.year, month_progress)
        if not summary.months:
            print(f"hallq report: {args.year} has not begun yet", file=sys.stderr)
            return 1
        bulletin = year_bulletin(summary, clock.now())
        written = write_bulletin(
            bulletin,
            Path(args.out),
            formats,
            f"summary-{hall}-{args.year}",
            lambda step: progress.say(f"writing {step}", final=True),
        )
    except (RuleViolation, CjkFontMissing) as exc:
        print(f"hallq report: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    finally:
        db.engine.dispose()
    print(f"{args.year} hall {hall}: {len(summary.months)} months, {summary.totals.issued} numbers")
    for path in written:
        print(path)
    return 0


def add_report_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="monthly bulletin and yearly summary")
    kinds = report.add_subparsers(dest="report", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--format", default="html,pdf,xlsx,csv", help="html,pdf,xlsx,csv")
        parser.add_argument("--out", default="var/reports", help="folder for the files")
        parser.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
        parser.add_argument(
            "--config",
            action="append",
            help="hall TOML file (repeatable; default HALLQ_CONFIG, else the example/demo hall)",
        )
        parser.add_argument("--hall", help="hall id (default: the first configured hall)")

    month = kinds.add_parser("month", help="the monthly operations bulletin (每月运行情况通报)")
    month.add_argument("month", help="YYYY-MM, e.g. 2026-11")
    month.add_argument(
        "--edition",
        choices=("zh", "en"),
        default="zh",
        help="zh: the PDF is the notice (通报) after GB/T 9704; en: the English edition "
        "(tables with English labels), a separate file",
    )
    month.add_argument(
        "--number", type=int, help="发文顺序号 of the notice (default: the month's number)"
    )
    month.add_argument(
        "--issued-on",
        type=date.fromisoformat,
        help="成文日期 YYYY-MM-DD (default: today in the hall)",
    )
    month.add_argument(
        "--checkpoint-dir",
        help="where the signed checkpoint of the printed chain head goes (HALLQ_CHECKPOINT_DIR)",
    )
    common(month)
    month.set_defaults(func=cmd_month)

    year = kinds.add_parser("year", help="the yearly summary from the months")
    year.add_argument("year", type=int, help="e.g. 2026")
    common(year)
    year.set_defaults(func=cmd_year)
