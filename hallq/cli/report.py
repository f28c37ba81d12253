"""`hallq report month|year|keep`: the bulletin files from the database (progress on stderr),
and the nightly measure that keeps each month's pass (docs/reports.md)."""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from pathlib import Path

from hallq.cli.common import configs_or_demo, open_database
from hallq.cli.options import fail
from hallq.cli.progress import Progress
from queue_server.composition import Services
from queue_server.config import ConfigError
from queue_server.domain.errors import RuleViolation
from queue_server.domain.months import parse_month
from queue_server.reports.bulletin import month_bulletin, year_bulletin
from queue_server.reports.chain_head import ChainHead
from queue_server.reports.fonts import CjkFontMissing
from queue_server.reports.notice_source import build_notice
from queue_server.reports.render import parse_formats, write_bulletin
from queue_server.reports.scores import load_scores
from queue_server.services.chain_anchor import anchor_now, load_or_create_signing_key


def _open(args: argparse.Namespace) -> tuple[Services, str]:
    configs = configs_or_demo(args.config)
    return open_database(args.database, configs, migrate=False), args.hall or configs[0].hall.id


def _anchor(services: Services, hall: str, month: str, directory: str | None) -> ChainHead:
    """Each bulletin prints the chain head and signs it into a checkpoint file."""
    settings = services.settings
    key = load_or_create_signing_key(Path(settings.checkpoint_key_file))
    checkpoint, path = anchor_now(
        services.db,
        services.clock,
        hall,
        f"bulletin-{month}",
        Path(directory or settings.checkpoint_dir),
        key,
    )
    return ChainHead(checkpoint.seq, checkpoint.hash, checkpoint.at, path.name)


def cmd_month(args: argparse.Namespace) -> int:
    progress = Progress()
    try:
        parse_month(args.month)  # a usage error, before anything is opened or said
        formats = parse_formats(args.format)
        services, hall = _open(args)
    except RuleViolation as exc:
        return fail(f"hallq report: {exc.message}", 2)
    except (ValueError, ConfigError) as exc:
        return fail(f"hallq report: {exc}", 2)
    db, halls, clock = services.db, services.halls, services.clock
    try:
        progress.say(f"measuring {args.month} for hall {hall}", final=True)
        measures = services.reports.month_measures(hall, args.month, progress.events(args.month))
        scores = load_scores(db, halls, clock, hall, measures.month)
        head = _anchor(services, hall, measures.month, args.checkpoint_dir)
        bulletin = month_bulletin(measures, clock.now(), scores, head)
        notice = None
        if "pdf" in formats and args.edition == "zh":
            progress.say("comparing with the month before", final=True)
            notice = build_notice(
                db, halls, clock, measures, scores, args.number, args.issued_on, head
            )
        written = write_bulletin(
            bulletin,
            Path(args.out),
            formats,
            f"bulletin-{hall}-{measures.month}",
            lambda step: progress.say(f"writing {step}", final=True),
            notice,
            args.edition,
        )
    except (RuleViolation, CjkFontMissing) as exc:
        return fail(f"hallq report: {getattr(exc, 'message', exc)}", 1)
    finally:
        services.close()
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
    progress = Progress()
    try:
        formats = parse_formats(args.format)
        services, hall = _open(args)
    except (ValueError, ConfigError) as exc:
        return fail(f"hallq report: {exc}", 2)

    def month_progress(label: str, done: int, total: int) -> None:
        progress.events(label)(done, total)

    try:
        summary, _months = services.reports.year_summary(hall, args.year, month_progress)
        if not summary.months:
            return fail(f"hallq report: {args.year} has not begun yet", 1)
        bulletin = year_bulletin(summary, services.clock.now())
        written = write_bulletin(
            bulletin,
            Path(args.out),
            formats,
            f"summary-{hall}-{args.year}",
            lambda step: progress.say(f"writing {step}", final=True),
        )
    except (RuleViolation, CjkFontMissing) as exc:
        return fail(f"hallq report: {getattr(exc, 'message', exc)}", 1)
    finally:
        services.close()
    print(f"{args.year} hall {hall}: {len(summary.months)} months, {summary.totals.issued} numbers")
    for path in written:
        print(path)
    return 0


def cmd_keep(args: argparse.Namespace) -> int:
    """The month of yesterday and of today in each hall (they differ on the 1st, when the
    month just ended still needs its last evening), measured and their passes kept."""
    try:
        configs = configs_or_demo(args.config)
        services = open_database(args.database, configs, migrate=False)
    except (ValueError, ConfigError) as exc:
        return fail(f"hallq report keep: {exc}", 2)
    try:
        halls = [c.hall.id for c in configs if args.hall in (None, c.hall.id)]
        if not halls:
            return fail(f"hallq report keep: no hall {args.hall!r} in the configuration", 2)
        now = services.clock.now()
        for hall in halls:
            calendar = services.halls.get(hall).calendar
            months = sorted(
                {f"{calendar.business_day(at):%Y-%m}" for at in (now - timedelta(days=1), now)}
            )
            for month in months:
                kept: list[int] = []
                started = time.perf_counter()
                measures = services.reports.month_measures(hall, month, resumed=kept.append)
                print(
                    f"{month} hall {hall}: {measures.events} events, {measures.events - sum(kept)} "
                    f"read now, {time.perf_counter() - started:.1f} s"
                )
    except RuleViolation as exc:
        return fail(f"hallq report keep: {exc.message}", 1)
    finally:
        services.close()
    return 0
