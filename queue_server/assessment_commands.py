"""`hallq assess run|close|show MONTH` and `hallq assess year YEAR`: the monthly assessment
(考核) from the command line, on the database the server uses.

`run` computes and stores the month (again, while it is open), with progress on stderr;
`close` freezes it; `show` prints the stored scores, `--explain` every line with the events,
entries and complaints it came from, `--json` the whole result.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from queue_server.config.models import HallConfig
    from queue_server.domain.assessment.grading import Graded
    from queue_server.services.assessment import AssessmentService, MonthRecord
    from queue_server.services.event_log import Actor


def _configs(paths: list[str] | None) -> list[HallConfig]:
    from queue_server.config import load_hall_config, load_hall_configs
    from queue_server.demo import EXAMPLE_CONFIG
    from queue_server.settings import Settings

    chosen = [str(p) for p in (paths or Settings().config_paths())]
    # As `hallq report`: the demo hall with its real opening hours (the running demo opens
    # around the clock, which would make every hour outside 09:00-18:00 "unattended").
    return load_hall_configs(chosen) if chosen else [load_hall_config(EXAMPLE_CONFIG)]


def _service(args: argparse.Namespace) -> tuple[AssessmentService, str]:
    from queue_server.services.assessment import AssessmentService
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry, ensure_halls
    from queue_server.settings import Settings, process_clock
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    configs = _configs(args.config)
    registry = HallRegistry(configs)
    engine = make_engine(args.database or Settings().database_url)
    upgrade(engine)
    db = Database(engine)
    if args.config:
        # A fresh database learns its halls here; a known hall's floor is left alone.
        ensure_halls(db, registry, process_clock())
    return AssessmentService(db, registry, process_clock()), args.hall or configs[0].hall.id


def _actor(service: AssessmentService, staff_no: str | None) -> Actor:
    """The supervisor the event log names (`--by`), or the system."""
    from sqlalchemy import select

    from queue_server.domain.access import Role
    from queue_server.domain.errors import RuleViolation
    from queue_server.services.event_log import SYSTEM, Actor
    from queue_server.storage.tables import User

    if staff_no is None:
        return SYSTEM
    with service.db.read() as session:
        user = session.scalar(select(User).where(User.staff_no == staff_no))
    if user is None or user.role != Role.SUPERVISOR.value or not user.active:
        raise RuleViolation(f"{staff_no!r} is not an active supervision account")
    return Actor(clerk=user.id)


def _grade(graded: Graded) -> str:
    from queue_server.domain.assessment.rules import GRADE_ZH

    return f"{GRADE_ZH.get(graded.grade, graded.grade)} {graded.grade}"


def _print(record: MonthRecord, explain: bool) -> None:
    from queue_server.domain.assessment.rules import BEST_WINDOW_PART_ZH, PART_ZH

    result = record.result
    state = "closed (frozen)" if record.closed else "open (may still change)"
    print(f"assessment {record.month} hall {record.hall}: {state}, run {record.runs}×")
    for title, rows in (("windows", result.windows), ("staff", result.staff)):
        print(f"\n{title}:")
        for g in rows:
            parts = " ".join(f"{PART_ZH.get(p.name, p.name)}{p.score:g}" for p in g.score.parts)
            bonus = f" +{g.score.bonus:g}" if g.score.bonus else ""
            if g.score.correction_lines:
                bonus += f" 更正{g.score.correction:+g}"
            best = (
                " 最佳窗口"
                if title == "windows" and int(g.score.subject) in result.best_windows
                else ""
            )
            note = f"  ({g.note})" if g.note else ""
            print(
                f"  {g.rank:>3}. {g.score.subject:<10} {g.score.total:>6g}  {_grade(g)}"
                f"  [{parts}{bonus}]{best}{note}"
            )
            if explain:
                lines = [
                    *(x for p in g.score.parts for x in p.lines),
                    *g.score.bonus_lines,
                    *g.score.correction_lines,
                ]
                for x in lines:
                    refs = ", ".join(str(r) for r in x.refs)
                    print(f"        {x.day} {x.text}  <- {refs}")
    if result.best_window_scores:
        print("\nbest window (最佳窗口, five parts of 20):")
        for b in sorted(result.best_window_scores, key=lambda x: (-x.total, int(x.subject))):
            parts = " ".join(
                f"{BEST_WINDOW_PART_ZH.get(p.name, p.name)}{p.score:g}" for p in b.parts
            )
            best = " 最佳窗口" if int(b.subject) in result.best_windows else ""
            print(f"  {b.subject:<10} {b.total:>6g}  [{parts}]{best}")
            if explain:
                for x in (x for p in b.parts for x in p.lines):
                    refs = ", ".join(str(r) for r in x.refs)
                    print(f"        {x.day} {x.text}  <- {refs}")
    if result.flags:
        print("\nflags:")
        for flag in result.flags:
            print(f"  {flag.staff_no}: {flag.text}")


def _progress() -> Any:
    from queue_server.reports.commands import Progress

    return Progress().events("events")


def cmd_run(args: argparse.Namespace) -> int:
    service, hall = _service(args)
    record = service.run_month(hall, args.month, _actor(service, args.by), _progress())
    _print(record, args.explain)
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from pathlib import Path

    from queue_server.services.chain_anchor import anchor_now, load_or_create_signing_key
    from queue_server.settings import Settings

    service, hall = _service(args)
    record = service.close_month(hall, args.month, _actor(service, args.by))
    _print(record, args.explain)
    # The chain head behind the frozen scores, signed into a file outside the database: a
    # later rewrite of the month's events fails `hallq audit verify --checkpoint FILE`.
    settings = Settings()
    key = load_or_create_signing_key(Path(settings.checkpoint_key_file))
    checkpoint, path = anchor_now(
        service.db,
        service.clock,
        hall,
        f"assessment-{args.month}",
        Path(args.checkpoint_dir or settings.checkpoint_dir),
        key,
    )
    print(f"chain head: event {checkpoint.seq} hash {checkpoint.hash}; signed checkpoint {path}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from queue_server.domain.assessment.month import result_to_dict

    service, hall = _service(args)
    record = service.month(hall, args.month)
    if args.json:
        body = {
            "hall": record.hall,
            "month": record.month,
            "state": record.state,
            "runs": record.runs,
            "result": result_to_dict(record.result),
            "rules": record.rules,
        }
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print(record, args.explain)
        _print_corrections(service, hall, args.month, args.explain)
    return 0


def _print_corrections(service: AssessmentService, hall: str, month: str, explain: bool) -> None:
    """更正: what was recorded for this month after it was closed, and what of earlier months
    counts in it (docs/assessment.md "Corrections")."""
    found = service.corrections(hall, month)
    for title, items in (
        (f"corrections of {month} (recorded after it was closed)", found.of_month),
        (f"corrections of earlier months counted in {month}", found.counted_here),
    ):
        if not items:
            continue
        print(f"\n{title}:")
        for c in items:
            who = c.fact.staff_no or f"window {c.fact.window}"
            print(
                f"  {c.happened_on} {c.fact.kind} ×{c.fact.quantity} {who}: {c.what}; "
                f"recorded {c.recorded_at:%Y-%m-%d %H:%M} by {c.recorded_by or 'the system'}, "
                f"counts in {c.counts_in}"
            )
            if explain:
                print(f"        <- {', '.join(str(r) for r in c.fact.refs)}")


def cmd_year(args: argparse.Namespace) -> int:
    service, hall = _service(args)
    year = service.year(hall, args.year)
    if not year.months:
        print(f"no month of {args.year} has been assessed yet")
        return 0
    print(
        f"assessment {args.year} hall {hall}: "
        + ", ".join(f"{m} {s}" for m, s in year.months.items())
    )
    for title, lines in (("windows", year.windows), ("staff", year.staff)):
        print(f"\n{title}:")
        for line in lines:
            grades = ", ".join(f"{g} ×{n}" for g, n in sorted(line.grades.items()))
            print(f"  {line.subject:<10} average {line.average:>6g}  {grades}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from queue_server.config import ConfigError
    from queue_server.domain.errors import RuleViolation

    try:
        return int(args.action(args))
    except RuleViolation as exc:
        print(f"hallq assess: {exc.message}", file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"hallq assess: {exc}", file=sys.stderr)
        return 2


def add_assessment_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assess = sub.add_parser("assess", help="monthly assessment of windows and staff (考核)")
    actions = assess.add_subparsers(dest="assess_command", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
        parser.add_argument(
            "--config",
            action="append",
            help="hall TOML file (repeatable; default HALLQ_CONFIG, else the demo hall)",
        )
        parser.add_argument("--hall", help="hall id (default: the first configured hall)")
        parser.set_defaults(func=_run)

    for name, action, text in (
        ("run", cmd_run, "compute and store the month's scores (while it is open)"),
        ("close", cmd_close, "run the month a last time and freeze it"),
        ("show", cmd_show, "print the stored scores"),
    ):
        parser = actions.add_parser(name, help=text)
        parser.add_argument("month", help="YYYY-MM, e.g. 2026-11")
        parser.add_argument("--explain", action="store_true", help="every line and its evidence")
        if name == "show":
            parser.add_argument("--json", action="store_true", help="the whole result as JSON")
        else:
            parser.add_argument("--by", help="staff number of the supervisor doing it")
        if name == "close":
            parser.add_argument(
                "--checkpoint-dir", help="where the signed checkpoint goes (HALLQ_CHECKPOINT_DIR)"
            )
        common(parser)
        parser.set_defaults(action=action)
    year = actions.add_parser("year", help="the yearly summary from the assessed months")
    year.add_argument("year", type=int)
    common(year)
    year.set_defaults(action=cmd_year)
