"""Shared by the ID card tests of the kiosk: what a privacy scan reads after a card tap."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import MetaData, select

from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from tests.support.privacy_scan import ID_NUMBER

# A booking keeps the name given when booking (masked in every answer) until the retention
# purge (docs/appointments.md): that row is the booking's, not the card's.
BOOKING_TABLES = ("bookings",)


def database_text(services: Services, skip: tuple[str, ...] = BOOKING_TABLES) -> str:
    """Every row of every table but `skip`, as text."""
    metadata = MetaData()
    metadata.reflect(services.db.engine)
    parts: list[str] = []
    with services.db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            for row in connection.execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


def assert_nothing_personal(
    services: Services,
    transport: DummyTransport,
    printer: PrintWorker,
    caplog: pytest.LogCaptureFixture,
    shown: list[str],
    secrets: list[str],
) -> None:
    """No full ID number or name in the database (events included), the logs, what was
    shown, the receipt's text or the bytes sent to the printer."""
    receipt = printer.last_document()
    places = {
        "database": database_text(services),
        "logs": "\n".join(r.getMessage() for r in caplog.records),
        "screens": "\n".join(shown),
        "receipt": str(dataclasses.asdict(receipt)) if receipt is not None else "",
        "printer bytes": b"".join(transport.jobs).decode("latin-1"),
        "printer bytes (gb18030)": b"".join(transport.jobs).decode("gb18030", "replace"),
    }
    for name, text in places.items():
        for secret in secrets:
            assert secret not in text, f"{name} holds {secret[:2]}…"
        # The booking's phone is kept by design (reminders); no ID number in any form is.
        assert ID_NUMBER.findall(text) == [], name
