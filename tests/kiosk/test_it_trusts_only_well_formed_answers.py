"""An answer without a number is not a ticket: nothing unconfirmed reaches the screen."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.model import BadAnswer, IssuedTicket

GOOD: dict[str, Any] = {
    "id": "abc",
    "number": "A001",
    "service": "SOC",
    "priority": "normal",
    "issued_at": "2026-11-25T02:00:00Z",
    "ahead": 2,
    "estimated_wait": {"low_minutes": 3, "high_minutes": 9},
}


def test_it_reads_a_ticket() -> None:
    ticket = IssuedTicket.of(GOOD)
    assert (ticket.number, ticket.ahead, ticket.wait_low, ticket.wait_high) == ("A001", 2, 3, 9)
    assert ticket.issued_at.utcoffset() is not None


@pytest.mark.parametrize(
    "answer",
    [
        None,
        {},
        {**GOOD, "number": ""},
        {**GOOD, "number": None},
        {**GOOD, "id": 7},
        {**GOOD, "issued_at": "yesterday"},
        [GOOD],
    ],
)
def test_it_trusts_only_well_formed_answers(answer: Any) -> None:
    with pytest.raises(BadAnswer):
        IssuedTicket.of(answer)
