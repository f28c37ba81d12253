"""Every rule of the udev file hands its printers to the group that sysusers puts the hallq
user in, readable and writable by that group only; the kiosk and console units run with it."""

from __future__ import annotations

import re

from queue_server.deploy.install import UNITS


def test_group() -> None:
    sysusers = (UNITS / "hallq.sysusers.conf").read_text()
    [group] = re.findall(r"^m hallq (\S+)$", sysusers, re.M)
    assert re.search(rf"^g {group} ", sysusers, re.M)
    rules = [
        line
        for line in (UNITS / "60-hallq-printer.rules").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rules) >= 4
    for rule in rules:
        assert rule.startswith("SUBSYSTEM==") and f'GROUP="{group}", MODE="0660"' in rule, rule
    for unit in ("hallq-kiosk@.service", "hallq-console@.service"):
        assert f"SupplementaryGroups={group}" in (UNITS / unit).read_text()
