"""The QR code on an offline receipt points at the ticket's status page: the kiosk computes
the id the server will give the ticket on reconciliation, the same way."""

from __future__ import annotations

from kiosk.offline import offline_ticket_id as kiosk_id
from queue_server.domain.leases import offline_ticket_id as server_id


def test_the_kiosk_knows_the_offline_ticket_id_in_advance() -> None:
    for hall, key in [("demo", "off-abc-401"), ("load", "off-0123456789abcdef-7")]:
        assert kiosk_id(hall, key) == server_id(hall, key)
        assert len(server_id(hall, key)) == 32
    assert server_id("a", "off-x-1") != server_id("b", "off-x-1")
