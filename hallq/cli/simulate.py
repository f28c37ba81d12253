"""`hallq simulate day|month|live`: the hall simulator."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from datetime import date, datetime
from pathlib import Path

import httpx

from hallq.cli.common import database_url, open_database
from hallq.cli.options import fail
from hallq_client import ApiError, ServerUnreachable
from queue_server.composition import HallFiles
from queue_server.config import ConfigError, HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.queueing.demand import HallModel, RatingModel, hall_model
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import DayPlan, plan_day
from queue_server.queueing.records import DayResult
from queue_server.settings import process_clock
from queue_server.simulation.inprocess import FilledDay, HallNotAtRest, fill_month
from queue_server.simulation.live import Credentials, HttpHall, run_live
from queue_server.simulation.provision import provision


def _config(path: str | None) -> HallConfig:
    return load_hall_config(Path(path) if path else EXAMPLE_CONFIG)


def _model(config: HallConfig, scale: float) -> HallModel:
    return hall_model(config, volume_scale=scale, ratings=RatingModel())


def cmd_day(args: argparse.Namespace) -> int:
    config = _config(args.config)
    today = config.hall.calendar().business_day(process_clock().now())
    day = date.fromisoformat(args.date) if args.date else today
    plan = plan_day(config, day, _model(config, args.volume_scale), args.seed)
    if not plan.sessions:
        return fail(f"hall {config.hall.id} is closed on {day}", 1)
    print(
        f"{day} hall {config.hall.id} seed {args.seed}: {simulate_day(config, plan).summary.line()}"
    )
    return 0


def cmd_month(args: argparse.Namespace) -> int:
    try:
        config = _config(args.config)
        datetime.strptime(args.month, "%Y-%m")
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    except ValueError:
        return fail(f"{args.month!r} is not a month like 2026-10", 2)
    database = database_url(args.database)
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
        return fail(f"not filled: {exc}", 1)
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
    services = open_database(database, [config], migrate=True, hall_files=HallFiles.ENSURE)
    try:
        return provision(services.db, services.clock, config, leave)
    finally:
        services.close()


def cmd_live(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        credentials = _credentials(args)
        start = None
        if args.start:
            clock = datetime.strptime(args.start, "%H:%M")
            start = clock.hour * 60.0 + clock.minute
    except (ValueError, OSError, IndexError) as exc:
        return fail(f"error: {exc or 'empty password file'}", 2)
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
        return fail(f"error: {args.server} did not answer within {args.wait:g} s", 1)
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
        return fail(f"error: {exc}", 1)
    return 0


def _server_answers(server: str, seconds: float) -> bool:
    """Waits for the server's /healthz, as a simulator started beside its server must."""
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
