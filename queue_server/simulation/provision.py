"""Accounts and device tokens for a simulated hall, written straight into its database.

For a demo or a load test on the server's own machine: a clerk account per window (no
password; the simulator gets a session token), the simulator's kiosk and one display per
window (to rate). Tokens are new on every call; the previous devices' tokens are revoked.
"""

from __future__ import annotations

from collections.abc import Collection

from queue_server.config.models import HallConfig
from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import Clock
from queue_server.services.accounts import AccountService
from queue_server.services.database import Database
from queue_server.services.device_tokens import DeviceTokens
from queue_server.simulation.inprocess import ensure_sim_clerks
from queue_server.simulation.live import Credentials

KIOSK_NAME = "sim-kiosk"


def display_name(window: int) -> str:
    return f"sim-display-{window}"


def provision(
    db: Database, clock: Clock, config: HallConfig, leave: Collection[int] = ()
) -> Credentials:
    """Credentials for every window but those in `leave` (a person's: no clerk, no display)."""
    hall = config.hall.id
    accounts = AccountService(db, clock)
    clerks = {
        window: accounts.open_session(user).token
        for window, user in ensure_sim_clerks(db, clock, config).items()
        if window not in leave
    }
    devices = DeviceTokens(db, clock)
    devices.revoke_if_present(hall, KIOSK_NAME)
    kiosk = devices.add(hall, DeviceKind.KIOSK, name=KIOSK_NAME).token
    displays = {}
    for window in config.windows:
        # A display left from a run that staffed this window would show as gone silent.
        devices.revoke_if_present(hall, display_name(window.number))
        if window.number in leave:
            continue
        issued = devices.add(hall, DeviceKind.DISPLAY, window.number, display_name(window.number))
        displays[window.number] = issued.token
    return Credentials(
        kiosk=kiosk,
        clerks=clerks,
        displays=displays,
        kiosk_device=KIOSK_NAME,
        display_devices={window: display_name(window) for window in displays},
    )
