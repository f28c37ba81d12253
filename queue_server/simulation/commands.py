"""`hallq simulate day|month|live` (imports stay inside the commands: a fast CLI)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queue_server.config import HallConfig
    from queue_server.simulation.demand import HallModel
    from queue_server.simulation.live import Credentials


def _config(path: str | None) -> HallConfig:
    from queue_server.config import load_hall_config
    from queue_server.demo import EXAMPLE_CONFIG

    return load_hall_config(Path(path) if path else EXAMPLE_CONFIG)


def _model(config: HallConfig, scale: float) -> HallModel:
    from queue_server.simulation.demand import RatingModel, hall_model

    return hall_model(config, volume_scale=scale, ratings=RatingModel())


def cmd_day(args: argparse.Namespace) -> int:
    from queue_server.settings import process_clock
    from queue_server.simulation.memory import simulate_day
    from queue_server.simulation.planning import plan_day

    config = _config(args.config)
    today = config.hall.calendar().business_day(process_clock().now())
    day = date.fromisoformat(args.date) if args.date else today
    plan = plan_day(config, day, _model(config, args.volume_scale), args.seed)
    if not plan.sessions:
        print(f"hall {config.hall.id} is closed on {day}", file=sys.stderr)
        return 1
    print(
        f"{day} hall {config.hall.id} seed {args.seed}: {simulate_day(config, plan).summary.line()}"
    )
    return 0


def cmd_month(args: argparse.Namespace) -> int:
    import time

    from queue_server.config import ConfigError
    from queue_server.settings import Settings
    from queue_server.simulation.inprocess import FilledDay, HallNotAtRest, fill_month

    try:
        config = _config(args.config)
        datetime.strptime(args.month, "%Y-%m")
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(f"{args.month!r} is not a month like 2026-10", file=sys.stderr)
        return 2
    database = args.database or Settings().database_url
    started = time.perf_counter()

    def progress(filled: FilledDay) -> None:
        print(f"  {filled.day} {filled.summary.line()}", flush=True)

    print(f"simulating {args.month} for hall {config.hall.id} into {database}", flush=True)
    try:
        days = fill_month(
            database,
            config,
            args.month,
            seed=args.seed,
            model=_model(config, args.volume_scale),
            on_day=progress,
        )
    except HallNotAtRest as exc:
        print(f"not filled: {exc}", file=sys.stderr)
        return 1
    tickets = sum(d.summary.issued for d in days)
    print(
        f"{len(days)} working days, {tickets} tickets in {time.perf_counter() - started:.1f} s; "
        "check the event log with: hallq audit verify --database URL"
    )
    return 0


def _by_window(entries: list[str], option: str) -> dict[int, str]:
    tokens: dict[int, str] = {}
    for entry in filter(None, (e.strip() for e in entries)):
        window, _, token = entry.partition("=")
        if not window.isdigit() or not token:
            raise ValueError(f"{option} takes WINDOW=TOKEN, not {entry!r}")
        tokens[int(window)] = token
    return tokens


def _credentials(args: argparse.Namespace) -> Credentials:
    from queue_server.simulation.live import Credentials

    clerks = [*os.environ.get("HALLQ_SIM_CLERK_TOKENS", "").split(","), *args.clerk_token]
    logins = _by_window(args.clerk_login, "--clerk-login")
    password = ""
    if logins:
        if not args.clerk_password_file:
            raise ValueError("--clerk-login needs --clerk-password-file (the clerks' password)")
        password = Path(args.clerk_password_file).read_text("utf-8").splitlines()[0]
    return Credentials(
        token=args.token or os.environ.get("HALLQ_SIM_TOKEN") or None,
        kiosk=args.kiosk_token or os.environ.get("HALLQ_SIM_KIOSK_TOKEN") or None,
        clerks=_by_window(clerks, "--clerk-token"),
        clerk_logins={w: (staff_no, password) for w, staff_no in logins.items()},
        displays=_by_window(args.display_token, "--display-token"),
    )


def _provisioned(database: str | None, config: HallConfig, leave: list[int]) -> Credentials:
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry, ensure_halls
    from queue_server.settings import Settings, process_clock
    from queue_server.simulation.provision import provision
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    engine = make_engine(database or Settings().database_url)
    try:
        upgrade(engine)
        db = Database(engine)
        ensure_halls(db, HallRegistry([config]), process_clock())
        return provision(db, process_clock(), config, leave)
    finally:
        engine.dispose()


def cmd_live(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from hallq_client import ApiError, ServerUnreachable
    from queue_server.simulation.live import HttpHall, run_live
    from queue_server.simulation.planning import DayPlan
    from queue_server.simulation.records import DayResult

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        credentials = _credentials(args)
        start = None
        if args.start:
            clock = datetime.strptime(args.start, "%H:%M")
            start = clock.hour * 60.0 + clock.minute
    except (ValueError, OSError, IndexError) as exc:
        print(f"error: {exc or 'empty password file'}", file=sys.stderr)
        return 2
    config = _config(args.config)
    if config.hall.id != args.hall:
        config = config.model_copy(
            update={"hall": config.hall.model_copy(update={"id": args.hall})}
        )
    if args.provision:
        credentials = _provisioned(args.database, config, args.leave_window)

    def report(plan: DayPlan, result: DayResult) -> None:
        print(f"simulated day {plan.day}: {result.summary.line()}", flush=True)

    if args.wait and not _server_answers(args.server, args.wait):
        print(f"error: {args.server} did not answer within {args.wait:g} s", file=sys.stderr)
        return 1
    hall = HttpHall(args.server, args.hall, credentials)
    print(
        f"hall {args.hall} at {args.server} comes alive at x{args.speed} (Ctrl-C to stop)",
        flush=True,
    )
    try:
        asyncio.run(
            run_live(
                hall,
                config,
                _model(config, args.volume_scale),
                speed=args.speed,
                seed=args.seed,
                days=args.days,
                start=start,
                on_day=report,
                leave=args.leave_window,
            )
        )
    except KeyboardInterrupt:
        print("stopped", flush=True)
    except (ApiError, ServerUnreachable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _server_answers(server: str, seconds: float) -> bool:
    """Waits for the server's /healthz, as a simulator started beside its server must."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{server}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def add_simulate_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = sub.add_parser("simulate", help="hall simulator: a day, a past month, a live hall")
    simulate_sub = simulate.add_subparsers(dest="simulate_command", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--config", help="hall TOML file (default: the shipped demo hall)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--volume-scale", type=float, default=1.0, help="visitors, times the usual"
        )

    day = simulate_sub.add_parser("day", help="simulate one day in memory and summarise it")
    day.add_argument("--date", help="YYYY-MM-DD (default: today)")
    common(day)
    day.set_defaults(func=cmd_day)

    month = simulate_sub.add_parser(
        "month", help="fill a past month into a database through the service layer"
    )
    month.add_argument("month", help="YYYY-MM")
    month.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
    common(month)
    month.set_defaults(func=cmd_month)

    live = simulate_sub.add_parser("live", help="make a running server's hall alive over HTTP")
    live.add_argument("--server", default="http://127.0.0.1:8000")
    live.add_argument("--hall", default="demo")
    live.add_argument("--speed", type=float, default=10.0, help="simulated minutes per minute")
    live.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait up to this long for the server to answer before starting",
    )
    live.add_argument("--days", type=int, default=0, help="days to play (default 0: forever)")
    live.add_argument(
        "--from", dest="start", help="HH:MM the first day starts at (default: its first visitor)"
    )
    live.add_argument(
        "--leave-window",
        action="append",
        type=int,
        default=[],
        metavar="WINDOW",
        help="a window left to a person: no simulated clerk works it (repeatable)",
    )
    live.add_argument("--token", help="bearer token for every role (or HALLQ_SIM_TOKEN)")
    live.add_argument("--kiosk-token", help="kiosk device token (or HALLQ_SIM_KIOSK_TOKEN)")
    live.add_argument(
        "--provision",
        action="store_true",
        help="create the simulated clerks' accounts and the kiosk's and displays' tokens "
        "directly in the server's database (--database), for a demo on the server's machine",
    )
    live.add_argument("--database", help="with --provision (default: HALLQ_DATABASE_URL)")
    live.add_argument(
        "--clerk-token",
        action="append",
        default=[],
        metavar="WINDOW=TOKEN",
        help="a window's clerk login (repeatable; or HALLQ_SIM_CLERK_TOKENS=1=a,2=b)",
    )
    live.add_argument(
        "--clerk-login",
        action="append",
        default=[],
        metavar="WINDOW=STAFF_NO",
        help="a clerk account to log in with and work window WINDOW (repeatable)",
    )
    live.add_argument("--clerk-password-file", help="the password of the --clerk-login accounts")
    live.add_argument(
        "--display-token",
        action="append",
        default=[],
        metavar="WINDOW=TOKEN",
        help="a window display's device token, to rate finished cases (repeatable)",
    )
    common(live)
    live.set_defaults(func=cmd_live)
