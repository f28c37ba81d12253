"""A number issued from the lease while cut off prints a receipt a clerk tells apart at a
glance: marked offline, the issue time, the wait unknown (no place in line is claimed), and a
QR link to the ticket's status page that works once the journal is reconciled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.offline import OfflineTicket, offline_ticket_id
from kiosk.receipts import offline_receipt_for, sample_hall_and_service
from printers.blocks import Qr, Text
from printers.layout import layout_receipt
from printers.wrap import WORD_JOINER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_it_prints_an_offline_receipt_marked_offline(lang: str) -> None:
    hall, service = sample_hall_and_service()
    key = "off-0123456789abcdef0123456789abcdef-12"
    ticket = OfflineTicket(
        key=key,
        ticket_id=offline_ticket_id(hall.id, key),
        number="F012",
        service=service.code,
        priority="normal",
        issued_at=datetime(2026, 11, 25, 1, 12, tzinfo=UTC),
    )
    receipt = offline_receipt_for(
        ticket, service, hall, lang="en" if lang == "en" else "zh", public_url="http://h:8000"
    )
    blocks = layout_receipt(receipt)
    lines = [(b.prefix + b.text).replace(WORD_JOINER, "") for b in blocks if isinstance(b, Text)]
    marker = [b for b in blocks if isinstance(b, Text) and "ISSUED OFFLINE" in b.text]
    assert len(marker) == 1 and marker[0].inverse and "离线取号" in marker[0].text
    assert any("暂无法估计" in line and "unknown" in line for line in lines)
    assert not any("前面等候" in line for line in lines)  # no place in line is claimed
    assert any("2026-11-25 09:12" in line for line in lines)  # hall time
    assert Qr(f"http://h:8000/t/{ticket.ticket_id}") in blocks
    online = layout_receipt(receipt.__class__(**{**receipt.__dict__, "offline": False}))
    assert not any(isinstance(b, Text) and "OFFLINE" in b.text for b in online)
