"""`hallq demo`: the example hall on SQLite, its printout, and the simulator beside it.

The simulator is a separate process that drives the hall over HTTP. It leaves
`PERSON_WINDOW` to a person. When the demo stops, the simulator is stopped first, and its
clerks then leave their windows through the service layer (they cannot over HTTP: the
server is gone by then). The same happens before the demo serves, for clerks left behind by
a demo that was killed, so `--no-live` always starts with every window free.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from queue_server.demo import PERSON_WINDOW

DEMO_HALL = "demo"
SIMULATION_LOG = Path("var/simulation.log")
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class DemoOptions:
    database: str
    host: str
    port: int
    log_level: str
    live: bool
    speed: float


def run_demo(options: DemoOptions) -> int:
    import uvicorn

    from queue_server.api.app import build_services, create_app
    from queue_server.api.heap import settle_heap
    from queue_server.config import load_hall_config
    from queue_server.demo import EXAMPLE_CONFIG, demo_hall_config
    from queue_server.demo.access import hallq_command, seed_demo_access
    from queue_server.demo.accounts import DEMO_USERS
    from queue_server.demo.bookings import seed_demo_bookings
    from queue_server.demo.month import fill_previous_month
    from queue_server.settings import process_clock
    from queue_server.simulation.release import release_simulated_windows

    database = options.database
    opened_at = process_clock().now()
    hallq = hallq_command()
    services = build_services(database, [demo_hall_config(opened_at)])
    # First, as a killed demo may have left them signed in: the month below needs the hall
    # at rest, and --no-live must start with every window free.
    left = release_simulated_windows(services.queue, DEMO_HALL)
    # Once per database: last month, simulated in the hall's real opening hours, so that the
    # bulletin and the assessment have a month to show (docs/reports.md).
    last_month = fill_previous_month(
        database, load_hall_config(EXAMPLE_CONFIG), opened_at, hallq=hallq
    )
    app = create_app(services)
    settle_heap()  # as `hallq serve` does (queue_server/api/heap.py)
    app.state.demo_accounts = DEMO_USERS  # the landing page at / lists them
    base = f"http://{options.host}:{options.port}"
    access = seed_demo_access(services, base, hallq=hallq, live=options.live)
    bookings = seed_demo_bookings(services.bookings, DEMO_HALL, base)
    print(
        "\nhallq demo hall is starting\n"
        f"  start page:      {base}/   (every page below, in 中文 and English)\n"
        f"  API docs:        {base}/docs\n"
        f"  halls:           {base}/api/v1/halls\n"
        f"  snapshot:        {base}/api/v1/halls/demo/snapshot\n"
        f"  hall board:      {base}/board/demo\n"
        f"  floor monitor:   {base}/floor/demo   (duty lead: 2001 / demo-lead-1)\n"
        f"  database:        {database}\n"
        f"{last_month}\n"
        f"{_released(left.windows)}"
        f"{access}\n"
        f"{bookings}\n"
        "  take a number:   curl -X POST -H 'Content-Type: application/json' "
        '-H "Authorization: Bearer $(cat var/demo-tokens/kiosk-1.token)" '
        f'-d \'{{"service":"SOC"}}\' {base}/api/v1/halls/demo/tickets\n'
        "  receipts:        var/receipts (the kiosk's preview printer)\n"
        "  stop with Ctrl-C\n",
        flush=True,
    )
    simulation = _start_simulation(database, base, options.speed) if options.live else None
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        # No reverse proxy in front of the demo: X-Forwarded-For is believed from nobody.
        uvicorn.run(
            app,
            host=options.host,
            port=options.port,
            log_level=options.log_level,
            proxy_headers=False,
        )
    except (KeyboardInterrupt, SystemExit):
        pass  # uvicorn re-raises the signal that stopped it; the demo still has to tidy up
    finally:
        signal.signal(signal.SIGTERM, previous)
        if simulation is not None:
            _stop(simulation)
        left = release_simulated_windows(services.queue, DEMO_HALL)
        services.db.engine.dispose()
        if left.windows:
            print(
                f"simulated clerks signed out of windows {_numbers(left.windows)}",
                flush=True,
            )
    return 0


def _exit_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _numbers(windows: tuple[int, ...]) -> str:
    return ", ".join(str(w) for w in windows)


def _released(windows: tuple[int, ...]) -> str:
    if not windows:
        return ""
    return (
        f"  left behind:     simulated clerks of a stopped demo signed out of windows "
        f"{_numbers(windows)}\n"
    )


def _start_simulation(database: str, base: str, speed: float) -> subprocess.Popen[bytes]:
    """Simulated visitors and clerks drive the demo over HTTP, as a real hall's devices do.

    The simulator ignores Ctrl-C (the terminal sends it to the whole process group): the
    demo stops it itself, once the server is down, and then signs its clerks out.
    """
    print(
        f"  live simulation: visitors arrive from the start and simulated clerks work every "
        f"window but {PERSON_WINDOW} ({speed:g} simulated minutes per minute); "
        f"log in {SIMULATION_LOG}\n",
        flush=True,
    )
    SIMULATION_LOG.parent.mkdir(exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "hallq",
        "simulate",
        "live",
        "--server",
        base,
        "--hall",
        DEMO_HALL,
        "--provision",
        "--database",
        database,
        "--speed",
        f"{speed:g}",
        "--leave-window",
        str(PERSON_WINDOW),
        "--wait",
        "60",
    ]
    # The child keeps its own copy of the log's descriptor; ours can close at once.
    with SIMULATION_LOG.open("ab") as log:
        return subprocess.Popen(
            command,
            stdout=log,
            stderr=log,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )


def _stop(simulation: subprocess.Popen[bytes]) -> None:
    simulation.terminate()
    try:
        simulation.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        simulation.kill()
        simulation.wait()
