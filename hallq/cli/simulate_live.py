"""`hallq simulate live`: the hall simulator against a running server, over its API."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from datetime import datetime
from pathlib import Path

import httpx

from hallq.cli.common import open_database
from hallq.cli.options import fail
from hallq.cli.simulate import hall_config, visitor_model
from hallq_client import ApiError, ServerUnreachable
from queue_server.composition import HallFiles
from queue_server.config import HallConfig
from queue_server.queueing.planning import DayPlan
from queue_server.queueing.records import DayResult
from queue_server.simulation.live import Credentials, HttpHall, run_live
from queue_server.simulation.provision import provision


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
    config = hall_config(args.config)
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
                visitor_model(config, args.volume_scale),
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
