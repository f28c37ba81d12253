"""What `hallq demo` prints about its accounts and devices, after seeding them.

Every command it prints must work as printed, pasted into a shell in the folder the demo
runs in: `hallq` is named by the path that reaches it from there (`.venv/bin/hallq` after
`make demo`), and the console command names the window the simulator leaves free.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.demo import PERSON_WINDOW
from queue_server.demo.accounts import DEMO_USERS, seed_demo_accounts
from queue_server.services.device_tokens import DeviceTokens

DEMO_HALL = "demo"
TOKEN_DIR = Path("var/demo-tokens")


def hallq_command(cwd: Path | None = None) -> str:
    """How to run this same `hallq` from `cwd`: the bare name only when PATH finds this one."""
    script = Path(sys.executable).parent / "hallq"
    if not script.exists():
        return f"{sys.executable} -m hallq"
    found = shutil.which("hallq")
    if found is not None and Path(found).resolve() == script.resolve():
        return "hallq"
    here = (cwd or Path.cwd()).absolute()
    relative = os.path.relpath(script, here)
    return relative if not relative.startswith("..") else str(script)


def clerk_password(staff_no: str) -> str:
    return next(u.password for u in DEMO_USERS if u.staff_no == staff_no)


def seed_demo_access(
    services: Services,
    base: str,
    token_dir: Path = TOKEN_DIR,
    *,
    hallq: str = "hallq",
    live: bool = True,
) -> str:
    users, devices = seed_demo_accounts(
        services.accounts, DeviceTokens(services.db, services.clock), DEMO_HALL, token_dir
    )
    files = {d.name: d.token_file for d in devices}
    lines = ["  demo accounts (staff no / password):"]
    lines += [f"    {u.staff_no}  {u.password:<13} {u.role.value:<10} {u.name}" for u in users]
    display, kiosk = files[f"display-{PERSON_WINDOW}"], files["kiosk-1"]
    window = PERSON_WINDOW
    free = (
        f"window {window} is left to you; simulated clerks work the others"
        if live
        else "every window is yours"
    )
    lines += [
        f"  clerk console:   {hallq} console --server {base} --hall demo --window {window}"
        f"   (log in as 1001 / {clerk_password('1001')}; {free})",
        f"  window display:  HALLQ_DEVICE_TOKEN=$(cat {display}) {hallq} display --server {base}"
        f" --hall demo --window {window}",
        f"  visitor kiosk:   HALLQ_DEVICE_TOKEN=$(cat {kiosk}) {hallq} kiosk --server {base}"
        " --hall demo",
        f"  device tokens:   {token_dir}/ (kept across restarts of this demo database)",
    ]
    return "\n".join(lines)
