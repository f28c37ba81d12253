"""Every `hallq` command and its options, in one table; the handlers live one module per
top-level command beside this file and are imported only when their command runs."""

from __future__ import annotations

import argparse
import os
from datetime import date
from typing import TYPE_CHECKING

from hallq.cli import options as o
from hallq.cli.options import (
    DATABASE_HELP,
    DEFAULT_SERVER,
    DEVICE_KINDS,
    STAFF_ROLES,
    Handler,
)
from hallq.roles import ROLES

if TYPE_CHECKING:
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

HALL_FILE_OR_ENV = "hall TOML file (repeatable; default HALLQ_CONFIG, else the demo hall)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hallq", description="hallq queue management")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _serve,
        _demo,
        _db,
        _audit,
        _voice,
        _display,
        _kiosk,
        _receipt,
        _user,
        _device,
        _hall,
        _bookings,
        _console,
        _simulate,
        _deploy,
        _report,
        _assess,
        _ratings,
    ):
        add(sub)
    return parser


def _subcommands(sub: Sub, name: str, help: str, dest: str) -> Sub:
    return sub.add_parser(name, help=help).add_subparsers(dest=dest, required=True)


# ----- the server ---------------------------------------------------------------------------


def _serve(sub: Sub) -> None:
    serve = sub.add_parser(
        "serve",
        help="run the queue server",
        parents=[
            o.configs("hall TOML file (repeatable)"),
            o.database(),
            o.host_port("127.0.0.1"),
            o.log_level("info"),
        ],
    )
    serve.add_argument("--workers", type=int, default=1, help="several only on PostgreSQL")
    serve.add_argument("--no-migrate", action="store_true")
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="the reverse proxy's address(es), comma-separated, whose X-Forwarded-For is "
        "believed (default: HALLQ_FORWARDED_ALLOW_IPS, empty: nobody's)",
    )
    serve.set_defaults(func=Handler("serve", "cmd_serve"))


def _demo(sub: Sub) -> None:
    demo = sub.add_parser(
        "demo",
        help="run a demo hall on SQLite",
        parents=[o.host_port("127.0.0.1"), o.log_level("warning")],
    )
    demo.add_argument("--database", default="sqlite:///var/demo.sqlite3")
    demo.add_argument(
        "--live",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the hall simulator beside it (default): visitors arrive and simulated clerks "
        "call them at every window but one, left to you; --no-live leaves every window to you",
    )
    demo.add_argument("--speed", type=float, default=5, help="with --live: minutes per minute")
    demo.set_defaults(func=Handler("demo", "cmd_demo"))


def _db(sub: Sub) -> None:
    db = _subcommands(sub, "db", "database maintenance", "db_command")
    up = db.add_parser("upgrade", help="apply migrations", parents=[o.database()])
    up.set_defaults(func=Handler("db", "cmd_upgrade"))


def _audit(sub: Sub) -> None:
    audit = _subcommands(sub, "audit", "event log audit", "audit_command")
    verify = audit.add_parser(
        "verify",
        help="check the hash chain of the event log",
        parents=[o.database(), o.hall()],
    )
    verify.add_argument("--chain-key", help="chain key file (default: HALLQ_CHAIN_KEY_FILE)")
    verify.add_argument(
        "--checkpoint",
        action="append",
        metavar="FILE",
        help="a signed checkpoint file the log must still match (repeatable)",
    )
    verify.add_argument(
        "--public-key",
        metavar="FILE",
        help="trusted checkpoint public key (hex, from `hallq audit public-key`); default: "
        "the public half of HALLQ_CHECKPOINT_KEY_FILE",
    )
    verify.set_defaults(func=Handler("audit", "cmd_verify"))

    checkpoint = audit.add_parser(
        "checkpoint",
        help="write a signed checkpoint of each hall's chain head",
        parents=[o.database(), o.hall(), o.signing_key()],
    )
    checkpoint.add_argument("--out", required=True, help="directory for the checkpoint files")
    checkpoint.add_argument(
        "--reason", default="manual", choices=("day", "assessment", "bulletin", "manual")
    )
    checkpoint.set_defaults(func=Handler("audit", "cmd_checkpoint"))

    public = audit.add_parser(
        "public-key",
        help="print the checkpoint public key, for the auditor to keep",
        parents=[o.signing_key()],
    )
    public.set_defaults(func=Handler("audit", "cmd_public_key"))


def _voice(sub: Sub) -> None:
    voice = _subcommands(sub, "voice", "offline voice for the hall board", "voice_command")
    build = voice.add_parser(
        "build", help="generate one clip per announcement token (needs espeak-ng; sox optional)"
    )
    build.add_argument("--out", help="clip folder (default: HALLQ_LIVE_VOICE_DIR or var/voice)")
    build.set_defaults(func=Handler("voice", "cmd_build"))


# ----- the device apps ----------------------------------------------------------------------


def _display(sub: Sub) -> None:
    display = sub.add_parser(
        "display",
        help="the visitor-facing screen at one window",
        parents=[
            o.device_app("hall id"),
            o.window(),
            o.device_token(
                "this display's device token (`hallq device add --kind display`), needed for "
                "the rating pad; default: env HALLQ_DEVICE_TOKEN (keeps it off the command line)"
            ),
        ],
    )
    display.add_argument(
        "--rating-timeout",
        type=float,
        default=30.0,
        help="seconds the rating pad waits before closing with nothing recorded",
    )
    display.set_defaults(func=Handler("display", "cmd_display"))


def _console(sub: Sub) -> None:
    console = sub.add_parser(
        "console",
        help="the clerk console of one window (log in, call)",
        parents=[o.device_app("hall id"), o.window()],
    )
    console.add_argument(
        "--printer",
        help="the window's receipt printer for notice slips (same forms as `hallq kiosk "
        "--printer`, e.g. network:192.168.1.50); none: notices are recorded, not printed",
    )
    console.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width mm")
    console.set_defaults(func=Handler("console", "cmd_console"))


def _kiosk(sub: Sub) -> None:
    kiosk = sub.add_parser(
        "kiosk",
        help="run the visitor kiosk in this terminal",
        parents=[
            o.lang(),
            o.device_token(
                "this kiosk's device token, if the server asks for one (env HALLQ_DEVICE_TOKEN)"
            ),
        ],
    )
    kiosk.add_argument("--server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    kiosk.add_argument("--hall", default="demo", help="hall id (default demo)")
    kiosk.add_argument("--device", default="kiosk-1", help="this kiosk's name in the event log")
    kiosk.add_argument(
        "--printer",
        default="preview",
        help="preview[:FOLDER] (PNGs in var/receipts, default) | dummy | network:HOST[:PORT] | "
        "usb:VID:PID | file:/dev/usb/lp0 | serial:DEVICE[:BAUD] | cups:NAME",
    )
    kiosk.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width mm")
    kiosk.add_argument("--public-url", help="server address for visitors' phones (QR codes)")
    kiosk.add_argument("--log-file", default="var/kiosk.log")
    kiosk.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="spoken prompts with espeak-ng (default: on where a sound device exists)",
    )
    kiosk.add_argument(
        "--id-reader",
        default=os.environ.get("HALLQ_ID_READER"),
        help="serial port of a GA 467 ID card reader, e.g. /dev/ttyUSB0 (env HALLQ_ID_READER); "
        "keyboard-wedge readers need nothing",
    )
    kiosk.add_argument(
        "--offline-journal",
        default=os.environ.get("HALLQ_KIOSK_JOURNAL"),
        help="keep issuing from leased numbers when the server is out of reach, with this "
        "journal file, e.g. /var/lib/hallq/kiosk-journal.sqlite (env HALLQ_KIOSK_JOURNAL; "
        "default: off, the kiosk waits for the server)",
    )
    kiosk.add_argument(
        "--offline-patience",
        type=float,
        default=10.0,
        help="seconds a visitor waits for the server before an offline number (default 10)",
    )
    kiosk.set_defaults(func=Handler("kiosk", "cmd_kiosk"))
    kiosk_sub = kiosk.add_subparsers(dest="kiosk_command")
    reconcile = kiosk_sub.add_parser(
        "reconcile",
        help="upload a kiosk's offline journal by hand (the duty lead, e.g. from a USB stick)",
    )
    reconcile.add_argument("--journal", required=True, help="the kiosk's journal SQLite file")
    reconcile.add_argument("--server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    reconcile.add_argument("--hall", help="default: the hall written in the journal")
    reconcile.add_argument("--device", help="default: the kiosk written in the journal")
    reconcile.add_argument(
        "--token",
        default=os.environ.get("HALLQ_TOKEN"),
        help="the duty lead's token (env HALLQ_TOKEN); else --staff-no and a password prompt",
    )
    reconcile.add_argument("--staff-no", help="log in as this duty lead")
    reconcile.set_defaults(func=Handler("kiosk", "cmd_kiosk_reconcile"))


def _receipt(sub: Sub) -> None:
    receipt = _subcommands(sub, "receipt", "receipts", "receipt_command")
    preview = receipt.add_parser(
        "preview",
        help="write a PNG of a sample receipt",
        parents=[o.paper("--width", "paper mm"), o.lang()],
    )
    preview.add_argument("--out", required=True, help="PNG file to write")
    preview.set_defaults(func=Handler("receipt", "cmd_preview"))


# ----- accounts and halls -------------------------------------------------------------------


def _account_parents() -> list[argparse.ArgumentParser]:
    return [
        o.database(),
        o.configs("hall TOML file, to create its hall in a new database"),
    ]


def _user(sub: Sub) -> None:
    user = _subcommands(sub, "user", "staff accounts", "user_command")
    add = user.add_parser(
        "add",
        help="add an account (asks for its password)",
        parents=[o.hall(required=True), *_account_parents(), o.password_file()],
    )
    add.add_argument("--staff-no", required=True, help="工号, what the person logs in with")
    add.add_argument("--name", required=True, help="shown on the window display")
    add.add_argument("--role", required=True, choices=STAFF_ROLES)
    add.set_defaults(action="user_add")
    listing = user.add_parser("list", help="list accounts", parents=[o.hall(), *_account_parents()])
    listing.set_defaults(action="user_list")
    disable = user.add_parser(
        "disable", help="disable an account and revoke its logins", parents=_account_parents()
    )
    disable.add_argument("staff_no")
    disable.set_defaults(action="user_disable")
    reset = user.add_parser(
        "reset-password",
        help="set a new password (asks for it)",
        parents=[*_account_parents(), o.password_file()],
    )
    reset.add_argument("staff_no")
    reset.set_defaults(action="user_reset_password")
    for parser in (add, listing, disable, reset):
        parser.set_defaults(func=Handler("user", "run"))


def _device(sub: Sub) -> None:
    device = _subcommands(
        sub, "device", "device tokens for kiosks, displays and boards", "device_command"
    )
    add = device.add_parser(
        "add",
        help="add a device and print its token once",
        parents=[o.hall(required=True), *_account_parents()],
    )
    add.add_argument("--kind", required=True, choices=DEVICE_KINDS)
    add.add_argument("--window", type=int, help="the window a display is bound to")
    add.add_argument("--name", help="default: display-<window>, kiosk-1, board-1 ...")
    add.set_defaults(action="device_add")
    listing = device.add_parser(
        "list", help="list devices", parents=[o.hall(), *_account_parents()]
    )
    listing.set_defaults(action="device_list")
    revoke = device.add_parser(
        "revoke",
        help="revoke a device's token",
        parents=[o.hall(required=True), *_account_parents()],
    )
    revoke.add_argument("name")
    revoke.set_defaults(action="device_revoke")
    for parser in (add, listing, revoke):
        parser.set_defaults(func=Handler("device", "run"))


def _hall(sub: Sub) -> None:
    hall = _subcommands(sub, "hall", "the hall files as the floor's baseline", "hall_command")
    apply = hall.add_parser(
        "apply",
        help="apply changed hall files to the database (an event; today's floor decisions stay)",
        parents=[o.database()],
    )
    apply.add_argument("--config", action="append", required=True, help="hall TOML file")
    apply.set_defaults(func=Handler("hall", "cmd_apply"))


def _bookings(sub: Sub) -> None:
    bookings = _subcommands(sub, "bookings", "online appointments", "bookings_command")
    imp = bookings.add_parser(
        "import",
        help="import bookings from a CSV or iCalendar file",
        parents=[
            o.hall(required=True, help="the hall the bookings are for"),
            o.configs("hall TOML file (default: HALLQ_CONFIG)"),
            o.database(),
        ],
    )
    imp.add_argument("file", help="a .csv or .ics file (see docs/appointments.md)")
    imp.add_argument("--format", choices=("csv", "ics"), help="default: from the file name")
    imp.set_defaults(func=Handler("bookings", "cmd_import"))


# ----- the simulator ------------------------------------------------------------------------


def _simulation() -> argparse.ArgumentParser:
    def add(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", help="hall TOML file (default: the shipped demo hall)")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--volume-scale", type=float, default=1.0, help="visitors, times the usual")

    return o.parent(add)


def _simulate(sub: Sub) -> None:
    simulate = _subcommands(
        sub, "simulate", "hall simulator: a day, a past month, a live hall", "simulate_command"
    )
    day = simulate.add_parser(
        "day", help="simulate one day in memory and summarise it", parents=[_simulation()]
    )
    day.add_argument("--date", help="YYYY-MM-DD (default: today)")
    day.set_defaults(func=Handler("simulate", "cmd_day"))

    month = simulate.add_parser(
        "month",
        help="fill a past month into a database through the service layer",
        parents=[o.database(), _simulation()],
    )
    month.add_argument("month", help="YYYY-MM")
    month.set_defaults(func=Handler("simulate", "cmd_month"))

    live = simulate.add_parser(
        "live",
        help="make a running server's hall alive over HTTP",
        parents=[
            o.database("with --provision (default: HALLQ_DATABASE_URL)"),
            _simulation(),
        ],
    )
    live.add_argument("--server", default=DEFAULT_SERVER)
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
    live.set_defaults(func=Handler("simulate_live", "cmd_live"))


# ----- installation and operation -----------------------------------------------------------


def _deploy(sub: Sub) -> None:
    doctor = sub.add_parser("doctor", help="check this installation and say how to fix it")
    doctor.add_argument("--role", choices=ROLES, help="default: HALLQ_ROLE in hallq.env")
    doctor.add_argument("--root", default="/", help="installation root (default /)")
    doctor.set_defaults(func=Handler("deploy", "cmd_doctor"))

    install = sub.add_parser("install", help="install units and configuration for a role")
    install.add_argument("--role", choices=ROLES, required=True)
    install.add_argument("--root", default="/", help="write under this directory instead of /")
    install.add_argument("--dry-run", action="store_true", help="print, write nothing")
    install.add_argument("--force", action="store_true", help="replace existing configuration")
    install.add_argument(
        "--hallq", help="the hallq the units run (default: the one beside this Python)"
    )
    install.add_argument("--config", help="server: the hall TOML to install (default: example)")
    install.add_argument("--database", help="server: database URL (default SQLite in state dir)")
    install.add_argument("--host", default="0.0.0.0", help="server: listen address")
    install.add_argument("--port", type=int, default=8000, help="server: port")
    install.add_argument("--workers", type=int, help="server: 1 on SQLite, default 4 on PG")
    install.add_argument("--public-url", help="server: its address for visitors' phones")
    install.add_argument("--server", default=DEFAULT_SERVER, help="devices: server URL")
    install.add_argument("--hall", default="demo", help="devices: hall id")
    install.add_argument(
        "--seat", type=int, action="append", help="kiosk seat / window number (repeatable)"
    )
    install.add_argument(
        "--printer", default="preview:/var/lib/hallq/receipts", help="kiosk: --printer spec"
    )
    install.add_argument("--paper", type=int, choices=(58, 80), default=80)
    install.add_argument(
        "--id-reader", help="kiosk: serial port of a GA 467 ID card reader (docs/kiosk.md)"
    )
    install.add_argument("--token-file", help="devices: file holding the device token")
    install.set_defaults(func=Handler("deploy", "cmd_install"))

    backup = sub.add_parser(
        "backup", help="dated database backup with rotation", parents=[o.database()]
    )
    backup.add_argument("--dir", default=os.environ.get("HALLQ_BACKUP_DIR", "var/backups"))
    backup.add_argument("--keep", type=int, default=int(os.environ.get("HALLQ_BACKUP_KEEP", "14")))
    backup.set_defaults(func=Handler("deploy", "cmd_backup"))

    restore = sub.add_parser(
        "restore", help="restore a backup into an empty database", parents=[o.database()]
    )
    restore.add_argument("file", help="a hallq-*.sqlite3 or hallq-*.pgdump backup")
    restore.add_argument("--force", action="store_true", help="overwrite a database in use")
    restore.set_defaults(func=Handler("deploy", "cmd_restore"))

    retention = _subcommands(sub, "retention", "personal data retention", "retention_command")
    purge = retention.add_parser(
        "purge",
        help="clear personal data past its days",
        parents=[o.configs("hall TOML (default: HALLQ_CONFIG)"), o.database()],
    )
    purge.set_defaults(func=Handler("deploy", "cmd_retention_purge"))

    board = sub.add_parser(
        "board",
        help="open the hall board in Chromium's kiosk mode",
        parents=[o.device_app("hall id")],
    )
    board.add_argument("--browser", default="chromium")
    board.add_argument("--profile", default="var/board-profile", help="Chromium profile folder")
    board.add_argument("--start-page", default="var/board-start.html")
    board.add_argument("--print-only", action="store_true", help="print the command, do not run")
    board.set_defaults(func=Handler("deploy", "cmd_board"))


# ----- reports and the assessment -----------------------------------------------------------


def _report_parents() -> list[argparse.ArgumentParser]:
    def files(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", default="html,pdf,xlsx,csv", help="html,pdf,xlsx,csv")
        p.add_argument("--out", default="var/reports", help="folder for the files")

    return [
        o.parent(files),
        o.database(),
        o.configs("hall TOML file (repeatable; default HALLQ_CONFIG, else the example/demo hall)"),
        o.hall_or_first(),
    ]


def _report(sub: Sub) -> None:
    report = _subcommands(sub, "report", "monthly bulletin and yearly summary", "report")
    month = report.add_parser(
        "month",
        help="the monthly operations bulletin (每月运行情况通报)",
        parents=[
            o.month(),
            *_report_parents(),
            o.checkpoint_dir(
                "where the signed checkpoint of the printed chain head goes (HALLQ_CHECKPOINT_DIR)"
            ),
        ],
    )
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
    month.set_defaults(func=Handler("report", "cmd_month"))

    year = report.add_parser(
        "year", help="the yearly summary from the months", parents=_report_parents()
    )
    year.add_argument("year", type=int, help="e.g. 2026")
    year.set_defaults(func=Handler("report", "cmd_year"))

    keep = report.add_parser(
        "keep",
        help="measure each hall's month so far and keep its pass, so the month's later runs "
        "read only the events since (nightly: hallq-month-pass.timer)",
        parents=[
            o.database(),
            o.configs("hall TOML file (repeatable; default HALLQ_CONFIG, else the demo hall)"),
            o.hall(help="only this hall (default: every configured hall)"),
        ],
    )
    keep.set_defaults(func=Handler("report", "cmd_keep"))


def _assess(sub: Sub) -> None:
    assess = _subcommands(
        sub, "assess", "monthly assessment of windows and staff (考核)", "assess_command"
    )

    def common() -> list[argparse.ArgumentParser]:
        return [o.database(DATABASE_HELP), o.configs(HALL_FILE_OR_ENV), o.hall_or_first()]

    by = o.parent(lambda p: p.add_argument("--by", help="staff number of the supervisor doing it"))
    run = assess.add_parser(
        "run",
        help="compute and store the month's scores (while it is open)",
        parents=[o.month(), o.explain(), by, *common()],
    )
    run.set_defaults(action="cmd_run")
    close = assess.add_parser(
        "close",
        help="run the month a last time and freeze it",
        parents=[
            o.month(),
            o.explain(),
            by,
            o.checkpoint_dir("where the signed checkpoint goes (HALLQ_CHECKPOINT_DIR)"),
            *common(),
        ],
    )
    close.set_defaults(action="cmd_close")
    show = assess.add_parser(
        "show",
        help="print the stored scores",
        parents=[o.month(), o.explain(), o.json_output("the whole result as JSON"), *common()],
    )
    show.set_defaults(action="cmd_show")
    year = assess.add_parser(
        "year", help="the yearly summary from the assessed months", parents=common()
    )
    year.add_argument("year", type=int)
    year.set_defaults(action="cmd_year")
    for parser in (run, close, show, year):
        parser.set_defaults(func=Handler("assess", "run"))


def _ratings(sub: Sub) -> None:
    ratings = _subcommands(
        sub, "ratings", "好差评 reporting to the provincial platform", "ratings_command"
    )
    common = [o.database(DATABASE_HELP), o.configs("hall TOML (default: HALLQ_CONFIG)")]
    one_hall = o.parent(
        lambda p: p.add_argument("--hall", help="one hall (default: every hall configured)")
    )
    deliver = ratings.add_parser(
        "deliver", help="collect and deliver what is due, once", parents=common
    )
    deliver.set_defaults(func=Handler("ratings", "cmd_deliver"))
    export = ratings.add_parser(
        "export", help="a month's records as JSON lines and CSV", parents=[*common, one_hall]
    )
    export.add_argument("--month", required=True, help="YYYY-MM")
    export.add_argument("--out", default=".", help="directory for the files (default: here)")
    export.set_defaults(func=Handler("ratings", "cmd_export"))
    reconcile = ratings.add_parser(
        "reconcile", help="write a day's reconciliation file", parents=[*common, one_hall]
    )
    reconcile.add_argument("--day", required=True, help="YYYY-MM-DD")
    reconcile.add_argument("--out", help="directory (default: [haocha] reconciliation_dir)")
    reconcile.set_defaults(func=Handler("ratings", "cmd_reconcile"))
