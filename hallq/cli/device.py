"""`hallq device ...`: device tokens. A token is printed once and only its digest is stored."""

from __future__ import annotations

import argparse

from hallq.cli.user import account_services, run_action
from queue_server.domain.access import DeviceKind


def run(args: argparse.Namespace) -> int:
    return run_action(
        args, {"device_add": device_add, "device_list": device_list, "device_revoke": revoke}
    )


def device_add(args: argparse.Namespace) -> int:
    tokens = account_services(args).device_tokens
    issued = tokens.add(args.hall, DeviceKind(args.kind), args.window, args.name)
    device = issued.device
    where = f" at window {device.window}" if device.window is not None else ""
    print(f"added {device.kind.value} {device.name!r}{where} in hall {device.hall}")
    print("its token (shown only now; keep it in a file readable only by the device's user):")
    print(issued.token)
    return 0


def device_list(args: argparse.Namespace) -> int:
    for device in account_services(args).device_tokens.list(args.hall):
        window = str(device.window) if device.window is not None else "-"
        state = "revoked" if device.revoked_at else "active"
        print(f"{device.hall:<12} {device.name:<16} {device.kind.value:<8} {window:<6} {state}")
    return 0


def revoke(args: argparse.Namespace) -> int:
    device = account_services(args).device_tokens.revoke(args.hall, args.name)
    print(f"revoked the token of {device.kind.value} {device.name!r}")
    return 0
