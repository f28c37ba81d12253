"""`hallq user add --role` and `hallq device add --kind` offer exactly the roles and device
kinds of the access table, and `hallq install|doctor --role` the installer's roles (the
parser writes them out so that building it imports nothing of the server)."""

from __future__ import annotations

import argparse

from hallq.cli import build_parser
from queue_server.deploy.install import ROLE_UNITS
from queue_server.domain.access import DeviceKind, Role


def choices(*path: str, option: str) -> list[str]:
    parser = build_parser()
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    action = next(a for a in parser._actions if option in a.option_strings)
    assert action.choices is not None
    return list(action.choices)


def test_staff_roles_and_device_kinds_are_the_access_tables() -> None:
    assert choices("user", "add", option="--role") == [r.value for r in Role]
    assert choices("device", "add", option="--kind") == [k.value for k in DeviceKind]


def test_install_and_doctor_offer_the_installers_roles() -> None:
    assert choices("install", option="--role") == list(ROLE_UNITS)
    assert choices("doctor", option="--role") == list(ROLE_UNITS)
