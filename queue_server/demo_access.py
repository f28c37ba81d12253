"""What `hallq demo` prints about its accounts and devices, after seeding them."""

from __future__ import annotations

from pathlib import Path

from queue_server.api.deps import Services
from queue_server.services.demo_accounts import seed_demo_accounts
from queue_server.services.device_tokens import DeviceTokens

DEMO_HALL = "demo"
TOKEN_DIR = Path("var/demo-tokens")


def seed_demo_access(services: Services, base: str, token_dir: Path = TOKEN_DIR) -> str:
    users, devices = seed_demo_accounts(
        services.accounts, DeviceTokens(services.db, services.clock), DEMO_HALL, token_dir
    )
    files = {d.name: d.token_file for d in devices}
    lines = ["  demo accounts (staff no / password):"]
    lines += [f"    {u.staff_no}  {u.password:<13} {u.role.value:<10} {u.name}" for u in users]
    display, kiosk = files["display-1"], files["kiosk-1"]
    lines += [
        f"  clerk console:   hallq console --server {base} --hall demo --window 1"
        "   (log in as 1001)",
        f"  window display:  HALLQ_DEVICE_TOKEN=$(cat {display}) hallq display --server {base}"
        " --hall demo --window 1",
        f"  visitor kiosk:   HALLQ_DEVICE_TOKEN=$(cat {kiosk}) hallq kiosk --server {base}"
        " --hall demo",
        f"  device tokens:   {token_dir}/ (new ones at every start of the demo)",
    ]
    return "\n".join(lines)
