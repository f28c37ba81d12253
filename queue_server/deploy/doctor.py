"""`hallq doctor`: what is wrong with this installation, and how to fix it.

Each check returns findings: fine, a warning (worth knowing, not blocking) or a problem
(the role will not work properly). The command prints each with its fix and exits non-zero
when there is any problem. Which checks run depends on the role in /etc/hallq/hallq.env:
the server checks its hall file, database, migrations and voice clips; kiosks, windows and
boards check that they reach the server, that it knows their token, their printer and
their screen programs; every role checks its clock, time zone and Chinese fonts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from hallq.roles import ROLES
from queue_server.deploy.site import ETC, Site

EARLIEST_SANE = datetime(2026, 1, 1, tzinfo=UTC)  # older than this release: a dead RTC battery
MAX_SKEW_SECONDS = 30.0
TOUCH_FOOT = (1, 16)  # foot reads touch screens from 1.16 on


@dataclass(frozen=True)
class Finding:
    check: str
    problem: str | None = None  # None: fine
    fix: str = ""
    detail: str = ""
    warning: bool = False

    @property
    def level(self) -> str:
        return "ok" if self.problem is None else "warning" if self.warning else "PROBLEM"


def ok(check: str, detail: str) -> Finding:
    return Finding(check, None, detail=detail)


def problem(check: str, what: str, fix: str) -> Finding:
    return Finding(check, what, fix)


def warning(check: str, what: str, fix: str = "") -> Finding:
    return Finding(check, what, fix, warning=True)


@dataclass
class Setup:
    """Everything the checks look at, read from /etc/hallq (or under --root)."""

    role: str
    root: Path = Path("/")
    config_paths: list[Path] = field(default_factory=list)
    database_url: str | None = None
    server: str | None = None
    hall: str | None = None
    voice_dir: Path | None = None
    printers: dict[str, str] = field(default_factory=dict)  # device -> --printer spec
    tokens: dict[str, Path] = field(default_factory=dict)  # device -> token file
    id_readers: dict[str, str] = field(default_factory=dict)  # kiosk seat -> port, "" unset
    # Where an unset seat looks for a GA 467 reader (HALLQ_ID_READER_PORTS, colon-separated).
    id_reader_ports: tuple[str, ...] = ("/dev/ttyUSB*", "/dev/ttyACM*")
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def path(self, value: str | Path) -> Path:
        """A path as the installed machine names it, found under --root."""
        path = Path(value)
        return self.root / path.relative_to("/") if path.is_absolute() else path


def read_setup(root: Path = Path("/"), role: str | None = None) -> Setup:
    site = Site(root / ETC.relative_to("/"))
    env = {**site.env(), **{k: v for k, v in os.environ.items() if k.startswith("HALLQ_")}}
    setup = Setup(role or env.get("HALLQ_ROLE", "server"), root)
    if setup.role not in ROLES:
        raise ValueError(f"unknown role {setup.role!r}: choose {', '.join(ROLES)}")
    setup.config_paths = [setup.path(p) for p in env.get("HALLQ_CONFIG", "").split(":") if p]
    setup.database_url = env.get("HALLQ_DATABASE_URL") or _secret(site.secrets / "database-url")
    setup.server = env.get("HALLQ_SERVER")
    setup.hall = env.get("HALLQ_HALL")
    setup.voice_dir = setup.path(env.get("HALLQ_LIVE_VOICE_DIR", "/var/lib/hallq/voice"))
    if env.get("HALLQ_CLOCK_START"):  # a rehearsal of another day (docs/calendar.md)
        from queue_server.settings import Settings, process_clock

        setup.now = process_clock(Settings(clock_start=env["HALLQ_CLOCK_START"])).now
    if setup.role == "kiosk":
        for seat in site.seats("kiosk"):
            setup.printers[f"kiosk-{seat}"] = site.seat_env("kiosk", seat).get(
                "HALLQ_PRINTER", "preview"
            )
            setup.tokens[f"kiosk-{seat}"] = site.token_file(f"kiosk-{seat}")
            setup.id_readers[f"kiosk-{seat}"] = site.seat_env("kiosk", seat).get(
                "HALLQ_ID_READER", env.get("HALLQ_ID_READER", "")
            )
        if env.get("HALLQ_ID_READER_PORTS"):
            setup.id_reader_ports = tuple(env["HALLQ_ID_READER_PORTS"].split(":"))
    elif setup.role == "window":
        for window in site.seats("display"):
            setup.tokens[f"display-{window}"] = site.token_file(f"display-{window}")
        for window in site.seats("console"):
            args = site.seat_env("console", window).get("HALLQ_CONSOLE_PRINTER_ARGS", "")
            spec = args.removeprefix("--printer").strip()
            if spec:
                setup.printers[f"console-{window}"] = spec
    elif setup.role == "board":
        setup.tokens["board"] = site.token_file("board")
    return setup


def _secret(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


# ----- the checks ------------------------------------------------------------------------------


def run_checks(setup: Setup) -> list[Finding]:
    checks: list[Callable[[Setup], Iterator[Finding]]] = [check_clock, check_fonts]
    if setup.role == "server":
        checks += [
            check_configuration,
            check_calendar,
            check_time_zone,
            check_database,
            check_voice,
        ]
    else:
        checks += [check_programs, check_server, check_tokens, check_printers, check_id_readers]
    return [finding for check in checks for finding in check(setup)]


def check_configuration(setup: Setup) -> Iterator[Finding]:
    from queue_server.config import ConfigError, load_hall_configs

    if not setup.config_paths:
        yield problem(
            "configuration",
            "no hall file is configured",
            f"set HALLQ_CONFIG=/etc/hallq/hall.toml in {ETC}/hallq.env (hallq install does)",
        )
        return
    try:
        halls = load_hall_configs(setup.config_paths)
    except ConfigError as exc:
        # A bad time zone is named by the time zone check, with its own fix.
        others = [p for p in exc.problems if not p.startswith("hall.timezone")]
        if others or not exc.problems:
            yield problem(
                "configuration",
                f"{exc.path}: " + "; ".join(others or [str(exc)]),
                "correct the keys named (compare with queue_server/config/hall.example.toml); "
                "then systemctl restart hallq-server",
            )
        return
    names = ", ".join(
        f"{h.hall.id} ({len(h.services)} services, {len(h.windows)} windows)" for h in halls
    )
    yield ok("configuration", f"halls {names}")


def check_calendar(setup: Setup) -> Iterator[Finding]:
    from queue_server.config import ConfigError, load_hall_configs

    try:
        halls = load_hall_configs(setup.config_paths) if setup.config_paths else []
    except ConfigError:
        return  # the configuration check names it
    for config in halls:
        calendar = config.hall.calendar()
        today = calendar.business_day(setup.now())
        missing = calendar.provisional_years(today)
        if missing:
            years = ", ".join(str(year) for year in missing)
            yield warning(
                "calendar",
                f"hall {config.hall.id}: the national holiday arrangement of {years} is not "
                "known yet; only the statutory days are closed and no 调休 working day is set",
                "upgrade hallq's `holidays` package once the State Council's notice is out, or "
                "enter the year's days in the hall file (docs/calendar.md)",
            )
        else:
            yield ok("calendar", f"hall {config.hall.id}: holidays known through {today.year}")


def check_time_zone(setup: Setup) -> Iterator[Finding]:
    for path in setup.config_paths:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue  # the configuration check names it
        zone = raw.get("hall", {}).get("timezone", "Asia/Shanghai")
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            yield problem(
                "time zone",
                f"hall.timezone {zone!r} in {path} is not a known time zone",
                'write an IANA name such as "Asia/Shanghai" (timedatectl list-timezones); '
                "if the name is right, install the Debian package tzdata",
            )
            continue
        yield ok("time zone", f"{zone} ({path.name}); opening hours are kept in it")
    tz = os.environ.get("TZ")
    if tz:
        try:
            ZoneInfo(tz.lstrip(":"))
        except (ZoneInfoNotFoundError, ValueError):
            yield problem(
                "time zone",
                f"TZ={tz!r} is not a known time zone",
                "unset TZ or set it to an IANA name such as Asia/Shanghai",
            )


def check_clock(setup: Setup) -> Iterator[Finding]:
    now = setup.now()
    if now < EARLIEST_SANE:
        yield problem(
            "clock",
            f"the system clock says {now:%Y-%m-%d %H:%M} UTC, before this release was made",
            "set the time (timedatectl set-time) and enable NTP (timedatectl set-ntp true); "
            "replace the mainboard battery if it happens after every power cut",
        )
        return
    synced = _ntp_synchronised()
    if synced is None:
        yield warning(
            "clock",
            "cannot tell whether the clock is synchronised (timedatectl not answering)",
            "on the installed machine: timedatectl status should say 'System clock "
            "synchronized: yes'",
        )
    elif not synced:
        yield problem(
            "clock",
            "the system clock is not synchronised with NTP; calls, waits and attendance "
            "are timed by it",
            "timedatectl set-ntp true (systemd-timesyncd or chrony) and let the machine reach "
            "an NTP server (in a closed network: the server, with chrony 'allow')",
        )
    else:
        yield ok("clock", "synchronised (NTP)")


def _ntp_synchronised() -> bool | None:
    exe = shutil.which("timedatectl")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    answer = done.stdout.strip()
    return {"yes": True, "no": False}.get(answer) if done.returncode == 0 else None


def check_fonts(setup: Setup) -> Iterator[Finding]:
    exe = shutil.which("fc-list")
    if exe is None:
        yield problem(
            "fonts",
            "fontconfig is not installed, so no Chinese font can be found",
            "apt-get install fontconfig fonts-noto-cjk",
        )
        return
    try:
        done = subprocess.run(
            [exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=15, check=False
        )
        families = sorted({line.split(",")[0] for line in done.stdout.splitlines() if line})
    except (OSError, subprocess.SubprocessError):
        families = []
    if not families:
        yield problem(
            "fonts",
            "no font on this machine can draw Chinese (fc-list :lang=zh is empty): receipts, "
            "screens and the board would show boxes",
            "apt-get install fonts-noto-cjk",
        )
    else:
        yield ok("fonts", f"Chinese fonts: {', '.join(families[:3])}")


def check_database(setup: Setup) -> Iterator[Finding]:
    from queue_server.services.database import Database
    from queue_server.services.readiness import check_readiness, statistics_left_stale
    from queue_server.storage.engine import make_engine

    url = setup.database_url
    if not url:
        yield problem(
            "database",
            "no database URL is configured",
            f"write it into {ETC}/secrets/database-url (chmod 600)",
        )
        return
    try:
        engine = make_engine(url)
    except Exception as exc:  # a malformed URL or a missing driver
        yield problem(
            "database",
            f"the database URL cannot be used: {exc}",
            f"correct {ETC}/secrets/database-url",
        )
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and not Path(database).is_file():
        yield problem(
            "database",
            f"the SQLite file {database} does not exist yet",
            "systemctl start hallq-server (hallq db upgrade creates it), or correct "
            f"{ETC}/secrets/database-url",
        )
        return
    before = _sqlite_companions(database) if engine.dialect.name == "sqlite" else []
    try:
        readiness = check_readiness(Database(engine))
        stale = statistics_left_stale(Database(engine)) if readiness.ready else []
    finally:
        engine.dispose()
        if engine.dialect.name == "sqlite":
            _give_back(database, before)
    shown = engine.url.render_as_string(hide_password=True)
    if readiness.ready:
        yield ok("database", f"{shown}: reachable, migrations current ({readiness.revision})")
        if engine.dialect.name == "postgresql":
            yield _statistics_finding(stale)
    elif readiness.revision is None and readiness.reason.startswith("the database cannot"):
        yield problem(
            "database",
            f"{shown}: {readiness.reason}",
            "start the database (systemctl status postgresql) and check the URL, user and "
            f"password in {ETC}/secrets/database-url",
        )
    else:
        yield problem(
            "database",
            f"{shown}: {readiness.reason}",
            "hallq db upgrade (hallq-server runs it before starting)",
        )


def _statistics_finding(stale: list[str]) -> Finding:
    """PostgreSQL's planner needs the statistics autovacuum gathers (docs/deploy.md)."""
    if not stale:
        return ok("database statistics", "PostgreSQL's autovacuum keeps them")
    return warning(
        "database statistics",
        f"PostgreSQL: {'; '.join(stale)}: without fresh statistics the planner can walk "
        "every ticket a service ever had for each ticket issued",
        "as postgres: ALTER SYSTEM SET autovacuum = on; SELECT pg_reload_conf(); "
        "(and ALTER TABLE ... RESET (autovacuum_enabled) for a table named)",
    )


def _sqlite_companions(database: str | None) -> list[Path]:
    if not database:
        return []
    main = Path(database)
    return [p for p in (main.with_name(main.name + s) for s in ("-wal", "-shm")) if p.exists()]


def _give_back(database: str | None, existed: list[Path]) -> None:
    """Doctor runs as root: WAL files its connection created must stay the server's."""
    if not database or not Path(database).exists():
        return
    owner = Path(database).stat()
    for path in _sqlite_companions(database):
        if path not in existed and os.geteuid() == 0:
            os.chown(path, owner.st_uid, owner.st_gid)


def check_voice(setup: Setup) -> Iterator[Finding]:
    from queue_server.voice.tokens import all_tokens

    folder = setup.voice_dir or Path("var/voice")
    fix = "apt-get install espeak-ng sox; then, as user hallq: hallq voice build"
    manifest = folder / "manifest.json"
    try:
        clips = json.loads(manifest.read_text(encoding="utf-8")).get("clips", {})
    except (OSError, ValueError):
        yield problem(
            "voice clips",
            f"no voice clips in {folder} (no manifest.json): boards "
            "without a Chinese speech voice stay silent",
            fix,
        )
        return
    wanted = all_tokens()
    missing = [t for t in wanted if not (folder / clips.get(t, {}).get("file", "-")).is_file()]
    if missing:
        yield problem(
            "voice clips",
            f"{len(missing)} of {len(wanted)} clips missing in {folder}, e.g. {missing[0]}",
            fix,
        )
    else:
        yield ok("voice clips", f"{len(wanted)} clips in {folder}")


def check_programs(setup: Setup) -> Iterator[Finding]:
    needed = ["cage", "chromium"] if setup.role == "board" else ["cage", "foot"]
    for program in needed:
        if shutil.which(program) is None:
            yield problem(
                "programs",
                f"{program} is not installed; the screen session cannot start",
                f"apt-get install {program}",
            )
    if setup.role != "board" and shutil.which("foot"):
        version = _foot_version()
        if version is not None and version < TOUCH_FOOT:
            yield warning(
                "programs",
                f"foot {'.'.join(map(str, version))} ignores touch screens (touch input "
                "came with foot 1.16); visitors would need a mouse",
                "install foot 1.16 or newer (bookworm-backports, or Debian 13)",
            )
    yield ok("programs", ", ".join(f"{p}: {shutil.which(p)}" for p in needed if shutil.which(p)))


def _foot_version() -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            ["foot", "--version"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(g) for g in match.groups() if g is not None) if match else None


def check_server(setup: Setup) -> Iterator[Finding]:
    where = f"HALLQ_SERVER in {ETC}/hallq.env"
    if not setup.server:
        yield problem("server", "no server address is configured", f"set {where}")
        return
    base = setup.server.rstrip("/")
    try:
        ready = httpx.get(f"{base}/readyz", timeout=5)
        halls = httpx.get(f"{base}/api/v1/halls", timeout=5)
    except httpx.HTTPError as exc:
        yield problem(
            "server",
            f"cannot reach the server at {base}: {exc}",
            f"check {where}, the network and, on the server, systemctl status hallq-server",
        )
        return
    if ready.status_code != 200:
        reason = _message(ready)
        yield problem(
            "server",
            f"{base} answers but is not ready: {reason}",
            "on the server: hallq doctor --role server",
        )
        return
    ids = [h.get("id") for h in halls.json()] if halls.status_code == 200 else []
    if setup.hall not in ids:
        yield problem(
            "server",
            f"the server at {base} has no hall {setup.hall!r} (it has "
            f"{', '.join(map(str, ids)) or 'none'})",
            f"set HALLQ_HALL in {ETC}/hallq.env",
        )
        return
    yield ok("server", f"{base} is ready and serves hall {setup.hall}")
    yield from _skew(ready, setup.now())


def _skew(response: httpx.Response, now: datetime) -> Iterator[Finding]:
    header = response.headers.get("date")
    if not header:
        return
    skew = (now - parsedate_to_datetime(header)).total_seconds()
    if abs(skew) > MAX_SKEW_SECONDS:
        yield problem(
            "clock",
            f"this machine's clock is {skew:+.0f} s off the server's",
            "enable NTP on both (timedatectl set-ntp true); the server may serve time to the "
            "hall's network (chrony 'allow')",
        )


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", response.text))
    except ValueError:
        return f"HTTP {response.status_code}"


def check_tokens(setup: Setup) -> Iterator[Finding]:
    if not setup.tokens and setup.role == "kiosk":
        yield problem(
            "device token", "no kiosk seat is configured", "hallq install --role kiosk --seat 1 ..."
        )
    for device, path in setup.tokens.items():
        check = f"device token {device}"
        token = _secret(path)
        if token is None:
            yield problem(
                check,
                f"{path} is missing or empty",
                f"on the server: hallq device add ... --name {device}; write the token "
                f"it prints into {path} (chmod 600)",
            )
            continue
        if not setup.server:
            continue
        try:
            me = httpx.get(
                f"{setup.server.rstrip('/')}/api/v1/auth/me",
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
        except httpx.HTTPError:
            continue  # the server check names it
        if me.status_code != 200:
            yield problem(
                check,
                f"the server refuses the token in {path}: {_message(me)}",
                f"issue a new one (hallq device add) and write it into {path}",
            )
        else:
            body = me.json()
            yield ok(
                check,
                f"accepted as {body.get('device_kind')} {body.get('name')} "
                f"of hall {body.get('hall')}",
            )


def check_printers(setup: Setup) -> Iterator[Finding]:
    from printers import make_transport, poll_status
    from printers.spec import BadPrinterSpec, parse_printer

    for device, spec in setup.printers.items():
        check = f"printer {device}"
        fix_spec = f"correct HALLQ_PRINTER in {ETC}/{device}.env"
        try:
            config = parse_printer(spec)
        except BadPrinterSpec as exc:
            yield problem(check, str(exc), fix_spec)
            continue
        if config.kind == "usb" and not _libusb():
            yield problem(
                check,
                "libusb is not installed, so USB printers cannot be opened",
                "apt-get install libusb-1.0-0",
            )
            continue
        status = poll_status(make_transport(config), timeout=2.0)
        text = f"{spec}: {status.state} ({status.detail})"
        if status.state == "ok":
            yield ok(check, text)
        elif status.state == "paper_low":
            yield warning(check, text, "put in a new roll soon")
        elif status.state == "unknown":
            denied = "access denied" in status.detail.lower() or "permission" in status.detail
            fix = (
                (
                    "plug it in again after installing the udev rule; the user hallq must be in "
                    "group hallq-printer (hallq install does both)"
                )
                if denied
                else ("check the cable and the printer; some printers cannot report status")
            )
            yield (problem if denied else warning)(check, text, fix)
        else:
            yield problem(
                check,
                text,
                "check that it is switched on, connected and has paper, and that the "
                f"address or USB id in {ETC}/{device}.env is this printer's (lsusb)",
            )


def _probe_id_reader(port: str) -> str | None:
    """None when a GA 467 reader answers the find-card frame on `port`, else why not."""
    import serial

    from hallq.devices.idcard.reader import CardError, SerialCardReader

    reader = SerialCardReader(port, timeout=1.0)
    try:
        reader.transact((0x20, 0x01))  # 寻找证/卡: any well-formed answer, card or none
    except CardError as exc:
        return exc.detail
    except (serial.SerialException, OSError) as exc:
        return str(exc)
    finally:
        reader.close()
    return None


def check_id_readers(setup: Setup) -> Iterator[Finding]:
    """刷身份证: a serial (GA 467) reader answers where the seat says; a keyboard-wedge reader
    types like a keyboard and cannot be told apart from one here."""
    import glob

    printer_ports = {
        spec.removeprefix("serial:").split(":")[0]
        for spec in setup.printers.values()
        if spec.startswith("serial:")
    }
    for device, port in setup.id_readers.items():
        check = f"ID card reader {device}"
        if port:
            why = _probe_id_reader(port)
            if why is None:
                yield ok(check, f"{port}: a GA 467 reader answers (driver: serial)")
            else:
                yield problem(
                    check,
                    f"{port}: no GA 467 reader answers ({why})",
                    f"check the cable and HALLQ_ID_READER in {ETC}/{device}.env; the user hallq "
                    "must be able to open the port (docs/kiosk.md, ID card readers)",
                )
            continue
        # Never probe the receipt printer's own serial line: the frame would print as junk.
        candidates = sorted(
            p for pattern in setup.id_reader_ports for p in glob.glob(pattern)
            if p not in printer_ports
        )  # fmt: skip
        found = [p for p in candidates if _probe_id_reader(p) is None]
        if found:
            yield warning(
                check,
                f"a GA 467 reader answers on {found[0]} (driver: serial), but this kiosk does "
                "not use it",
                f"set HALLQ_ID_READER={found[0]} in {ETC}/{device}.env and restart the kiosk",
            )
        else:
            yield ok(
                check,
                "no serial reader set or found; a keyboard-wedge reader (driver: wedge) needs "
                "no setting and cannot be seen from here: tap a card on the start screen",
            )


def _libusb() -> bool:
    try:
        import usb.backend.libusb1

        return usb.backend.libusb1.get_backend() is not None
    except Exception:
        return False


# ----- the report -------------------------------------------------------------------------------


def report(setup: Setup, findings: list[Finding]) -> tuple[str, int]:
    lines = [f"hallq doctor: role {setup.role}, configuration in {setup.path(ETC)}"]
    for f in findings:
        lines.append(f"  {f.level:<8} {f.check}: {f.problem or f.detail}")
        if f.problem and f.fix:
            lines.append(f"  {'':<8}   fix: {f.fix}")
    problems = sum(1 for f in findings if f.problem and not f.warning)
    warnings = sum(1 for f in findings if f.warning)
    verdict = "all good" if not problems else f"{problems} problem{'s' * (problems != 1)}"
    lines.append(f"{verdict}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines), 1 if problems else 0
