"""`hallq assess run|close|show MONTH` and `hallq assess year YEAR`: the monthly assessment
(考核) from the command line, on the database the server uses.

`run` computes and stores the month (again, while it is open), with progress on stderr;
`close` freezes it; `show` prints the stored scores, `--explain` every line with the events,
entries and complaints it came from, `--json` the whole result.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlalchemy import select

from hallq.cli.common import configs_or_demo, open_database
from hallq.cli.options import Run, fail
from hallq.cli.progress import Progress
from queue_server.composition import HallFiles
from queue_server.config import ConfigError
from queue_server.domain.access import Role
from queue_server.domain.assessment.grading import Graded
from queue_server.domain.assessment.month import result_to_dict
from queue_server.domain.assessment.rules import BEST_WINDOW_PART_ZH, GRADE_ZH, PART_ZH
from queue_server.domain.errors import RuleViolation
from queue_server.services.assessment import AssessmentService, MonthRecord
from queue_server.services.chain_anchor import anchor_now, load_or_create_signing_key
from queue_server.services.event_log import SYSTEM, Actor
from queue_server.settings import Settings
from queue_server.storage.tables import User


def run(args: argparse.Namespace) -> int:
    actions: dict[str, Run] = {
        "cmd_run": cmd_run,
        "cmd_close": cmd_close,
        "cmd_show": cmd_show,
        "cmd_year": cmd_year,
    }
    try:
        return actions[args.action](args)
    except RuleViolation as exc:
        return fail(f"hallq assess: {exc.message}", 1)
    except ConfigError as exc:
        return fail(f"hallq assess: {exc}", 2)


def _service(args: argparse.Namespace) -> tuple[AssessmentService, str]:
    configs = configs_or_demo(args.config)
    # A fresh database learns the halls of --config; a known hall's floor is left alone.
    services = open_database(
        args.database,
        configs,
        migrate=True,
        hall_files=HallFiles.ENSURE if args.config else HallFiles.IGNORE,
    )
    return services.assessment, args.hall or configs[0].hall.id


def _actor(service: AssessmentService, staff_no: str | None) -> Actor:
    """The supervisor the event log names (`--by`), or the system."""
    if staff_no is None:
        return SYSTEM
    with service.db.read() as session:
        user = session.scalar(select(User).where(User.staff_no == staff_no))
    if user is None or user.role != Role.SUPERVISOR.value or not user.active:
        raise RuleViolation(f"{staff_no!r} is not an active supervision account")
    return Actor(clerk=user.id)


def _grade(graded: Graded) -> str:
    return f"{GRADE_ZH.get(graded.grade, graded.grade)} {graded.grade}"


def _print(record: MonthRecord, explain: bool) -> None:
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


def cmd_run(args: argparse.Namespace) -> int:
    service, hall = _service(args)
    progress = Progress().events("events")
    record = service.run_month(hall, args.month, _actor(service, args.by), progress)
    _print(record, args.explain)
    return 0


def cmd_close(args: argparse.Namespace) -> int:
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
