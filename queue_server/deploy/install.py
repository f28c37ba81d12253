"""`hallq install --role server|kiosk|window|board`: lay down the units and the configuration.

It writes files only (units, PAM, udev rule, sysusers entry, /etc/hallq) and then, on the
running machine (no --root), runs the few commands that make systemd take them. --dry-run
prints all of it and touches nothing; --root DIR writes into an image or a test directory
and prints the commands to run on the target. Configuration that exists is kept (a hall's
own edits survive a re-install) unless --force; units are always replaced.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from queue_server.deploy.site import ETC

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "systemd"
EXAMPLE_HALL = REPO / "queue_server" / "config" / "hall.example.toml"
UNIT_HALLQ = "/opt/hallq/venv/bin/hallq"
STATE = "/var/lib/hallq"

ROLE_UNITS: dict[str, tuple[str, ...]] = {
    "server": (
        "hallq-server.service",
        "hallq-backup.service",
        "hallq-backup.timer",
        "hallq-retention.service",
        "hallq-retention.timer",
        "hallq-checkpoint.service",
        "hallq-checkpoint.timer",
        "hallq-month-pass.service",
        "hallq-month-pass.timer",
    ),
    "kiosk": ("hallq-kiosk@.service",),
    "window": ("hallq-display@.service", "hallq-console@.service"),
    "board": ("hallq-board.service",),
}
SCREENS = {"kiosk", "window", "board"}
# The pyproject.toml extras a role installs: a kiosk gets no database or report libraries,
# a server no terminal UI or printer drivers; a board runs a browser (the base suffices).
ROLE_EXTRAS: dict[str, tuple[str, ...]] = {
    "server": ("server",),
    "kiosk": ("kiosk",),
    "window": ("window",),
    "board": (),
}


class InstallError(RuntimeError):
    pass


@dataclass(frozen=True)
class FileWrite:
    path: str  # absolute on the target
    content: str
    mode: int = 0o644
    keep_existing: bool = False  # configuration: never overwrite a hall's own edits


@dataclass
class Plan:
    role: str
    files: list[FileWrite] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InstallOptions:
    role: str
    hallq: str = UNIT_HALLQ
    # server
    hall_config: Path = EXAMPLE_HALL
    database_url: str = f"sqlite:///{STATE}/hallq.sqlite3"
    host: str = "0.0.0.0"
    port: int = 8000
    workers: int | None = None
    public_url: str | None = None
    # devices
    server: str = "http://127.0.0.1:8000"
    hall: str = "demo"
    seats: tuple[int, ...] = (1,)
    printer: str = f"preview:{STATE}/receipts"
    paper: int = 80
    token_file: Path | None = None
    id_reader: str | None = None  # kiosk: a GA 467 ID card reader's serial port


def default_hallq() -> str:
    here = Path(sys.executable).parent / "hallq"
    return str(here) if here.is_file() else UNIT_HALLQ


def plan_install(options: InstallOptions) -> Plan:
    role = options.role
    if role not in ROLE_UNITS:
        raise InstallError(f"unknown role {role!r}: choose server, kiosk, window or board")
    if not UNITS.is_dir():
        raise InstallError(
            f"{UNITS} is missing: run `hallq install` from the venv of a source checkout "
            "(pip install -e /opt/hallq/src), see docs/deploy.md"
        )
    plan = Plan(role)
    for name in ROLE_UNITS[role]:
        text = (UNITS / name).read_text(encoding="utf-8").replace(UNIT_HALLQ, options.hallq)
        plan.files.append(FileWrite(f"/etc/systemd/system/{name}", text))
    sysusers = (UNITS / "hallq.sysusers.conf").read_text(encoding="utf-8")
    plan.files.append(FileWrite("/etc/sysusers.d/hallq.conf", sysusers))
    if role in SCREENS:
        _screens(plan, options)
    {"server": _server, "kiosk": _kiosk, "window": _window, "board": _board}[role](plan, options)
    plan.commands[:0] = [
        packages_command(options),
        ["systemd-sysusers"],
        ["systemctl", "daemon-reload"],
    ]
    return plan


def packages_command(options: InstallOptions) -> list[str]:
    """pip, in the venv of the hallq the units run, installing this checkout with the role's
    extras only (and the PostgreSQL driver for a server on PostgreSQL)."""
    extras = ROLE_EXTRAS[options.role]
    if options.role == "server" and not options.database_url.startswith("sqlite"):
        extras = (*extras, "postgres")
    python = str(Path(options.hallq).parent / "python")
    target = f"{REPO}[{','.join(extras)}]" if extras else str(REPO)
    return [python, "-m", "pip", "install", "--quiet", "-e", target]


def _server(plan: Plan, o: InstallOptions) -> None:
    sqlite = o.database_url.startswith("sqlite")
    workers = o.workers or (1 if sqlite else 4)
    if sqlite and workers > 1:
        raise InstallError("several workers need PostgreSQL; SQLite serves one worker")
    public = o.public_url or f"http://{socket.gethostname()}:{o.port}"
    env = _env(
        "server",
        {
            "HALLQ_CONFIG": f"{ETC}/hall.toml",
            "HALLQ_HOST": o.host,
            "HALLQ_PORT": str(o.port),
            "HALLQ_WORKERS": str(workers),
            "HALLQ_PUBLIC_URL": public,
            "HALLQ_LIVE_VOICE_DIR": f"{STATE}/voice",
            "HALLQ_BACKUP_DIR": f"{STATE}/backups",
            "HALLQ_BACKUP_KEEP": "14",
        },
    )
    plan.files += [
        FileWrite(f"{ETC}/hallq.env", env, keep_existing=True),
        FileWrite(
            f"{ETC}/hall.toml", o.hall_config.read_text(encoding="utf-8"), keep_existing=True
        ),
        FileWrite(f"{ETC}/secrets/database-url", o.database_url + "\n", 0o600, keep_existing=True),
    ]
    plan.commands.append(
        ["systemctl", "enable", "--now", "hallq-server.service", "hallq-backup.timer",
         "hallq-retention.timer", "hallq-checkpoint.timer", "hallq-month-pass.timer"]
    )  # fmt: skip
    plan.notes += [
        f"edit {ETC}/hall.toml (services, windows, holidays) and restart hallq-server",
        "add accounts and devices: hallq user add ... / hallq device add ... (docs/deploy.md)",
        "check: hallq doctor --role server",
    ]


def _screens(plan: Plan, o: InstallOptions) -> None:
    plan.files += [
        FileWrite("/etc/pam.d/hallq-session", _unit_file("pam.d/hallq-session")),
        FileWrite(f"{ETC}/foot.ini", _unit_file("foot.ini"), keep_existing=True),
        FileWrite(f"{ETC}/hallq.env", _env(o.role, {"HALLQ_SERVER": o.server,
                                                     "HALLQ_HALL": o.hall}), keep_existing=True),
    ]  # fmt: skip
    plan.commands.append(["systemctl", "set-default", "graphical.target"])


def _kiosk(plan: Plan, o: InstallOptions) -> None:
    plan.files += [
        FileWrite("/etc/udev/rules.d/60-hallq-printer.rules", _unit_file("60-hallq-printer.rules")),
        FileWrite(f"{ETC}/foot-kiosk.ini", _unit_file("foot-kiosk.ini"), keep_existing=True),
    ]
    for seat in o.seats:
        seat_env = f"HALLQ_PRINTER={o.printer}\nHALLQ_PAPER={o.paper}\n"
        if o.id_reader:
            seat_env += f"HALLQ_ID_READER={o.id_reader}\n"
        plan.files.append(FileWrite(f"{ETC}/kiosk-{seat}.env", seat_env, keep_existing=True))
        _token(plan, o, f"kiosk-{seat}", "kiosk")
    plan.commands += [
        ["udevadm", "control", "--reload"],
        ["udevadm", "trigger", "--subsystem-match=usb", "--subsystem-match=usbmisc"],
        ["systemctl", "enable", "--now", *(f"hallq-kiosk@{s}.service" for s in o.seats)],
    ]
    plan.notes.append("check: hallq doctor --role kiosk")


def _window(plan: Plan, o: InstallOptions) -> None:
    plan.files.append(
        FileWrite("/etc/udev/rules.d/60-hallq-printer.rules", _unit_file("60-hallq-printer.rules"))
    )
    for window in o.seats:
        _token(plan, o, f"display-{window}", f"display --window {window}")
        plan.files.append(
            FileWrite(f"{ETC}/console-{window}.env", "HALLQ_CONSOLE_PRINTER_ARGS=\n",
                      keep_existing=True)
        )  # fmt: skip
    units = [
        u for w in o.seats for u in (f"hallq-display@{w}.service", f"hallq-console@{w}.service")
    ]
    plan.commands.append(["systemctl", "enable", "--now", *units])
    plan.notes += [
        "a window normally has the display on one small machine and the console on the "
        "clerk's; disable the one this machine does not run",
        "check: hallq doctor --role window",
    ]


def _board(plan: Plan, o: InstallOptions) -> None:
    _token(plan, o, "board", "board")
    plan.commands.append(["systemctl", "enable", "--now", "hallq-board.service"])
    plan.notes.append("check: hallq doctor --role board")


def _token(plan: Plan, o: InstallOptions, device: str, kind: str) -> None:
    target = f"{ETC}/secrets/{device}.token"
    if o.token_file is not None:
        token = o.token_file.read_text(encoding="utf-8").strip()
        plan.files.append(FileWrite(target, token + "\n", 0o600, keep_existing=True))
    else:
        plan.notes.append(
            f"on the server: hallq device add --hall {o.hall} --kind {kind} --name {device}; "
            f"write the token it prints into {target} (chmod 600)"
        )


def _env(role: str, values: dict[str, str]) -> str:
    lines = [
        f"# hallq, role {role}: written by `hallq install`, read by the units (EnvironmentFile=)",
        "# and by `hallq doctor`. Secrets are not here: see /etc/hallq/secrets/.",
        f"HALLQ_ROLE={role}",
        *(f"{key}={value}" for key, value in values.items()),
    ]
    return "\n".join(lines) + "\n"


def _unit_file(name: str) -> str:
    return (UNITS / name).read_text(encoding="utf-8")


# ----- carrying the plan out -----------------------------------------------------------------


def apply(plan: Plan, root: Path, *, force: bool = False, run: bool = True) -> list[str]:
    """Write the files under `root`; run the commands when `run`. Returns what was done."""
    done = []
    for item in plan.files:
        target = root / item.path.lstrip("/")
        if item.keep_existing and target.exists() and not force:
            done.append(f"kept     {item.path} (exists; --force replaces it)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.mode == 0o600:
            target.parent.chmod(0o700)
        target.write_text(item.content, encoding="utf-8")
        target.chmod(item.mode)
        done.append(f"wrote    {item.path}")
    for command in plan.commands if run else ():
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        status = "ran     " if result.returncode == 0 else f"FAILED({result.returncode})"
        done.append(f"{status} {' '.join(command)} {result.stderr.strip()}".rstrip())
    return done


def describe(plan: Plan, root: Path) -> Iterable[str]:
    for item in plan.files:
        yield f"write    {root / item.path.lstrip('/')} (mode {item.mode:o})"
    for command in plan.commands:
        yield f"run      {' '.join(command)}"


def must_be_root(root: Path) -> None:
    if root == Path("/") and os.geteuid() != 0:
        raise InstallError("installing onto this machine needs root (sudo hallq install ...)")
