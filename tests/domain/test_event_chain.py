"""The hash chain names the first event that was edited or removed."""

from __future__ import annotations

from dataclasses import replace

from queue_server.domain.event_chain import GENESIS_HASH, ChainedEvent, event_hash, first_broken
from tests.support.factories import OPEN_MORNING


def chain(n: int) -> list[tuple[ChainedEvent, str, str]]:
    rows = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        event = ChainedEvent(
            "h",
            seq,
            "ticket.issued",
            OPEN_MORNING,
            f"t{seq}",
            None,
            None,
            None,
            {"number": f"A{seq:03d}"},
        )
        digest = event_hash(prev, event)
        rows.append((event, prev, digest))
        prev = digest
    return rows


def test_an_intact_chain_has_no_break() -> None:
    assert first_broken(chain(5)) is None


def test_an_edited_event_is_named() -> None:
    rows = chain(5)
    event, prev, digest = rows[2]
    rows[2] = (replace(event, payload={"number": "A999"}), prev, digest)
    broken = first_broken(rows)
    assert broken is not None and broken.seq == 3 and "edited" in broken.reason


def test_a_deleted_event_is_named() -> None:
    rows = chain(5)
    del rows[1]
    broken = first_broken(rows)
    assert broken is not None and broken.seq == 2 and "missing" in broken.reason
