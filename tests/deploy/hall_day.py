"""A morning at the test hall with something in every part of the event log."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.tickets import CaseType
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Event, Ticket


def a_busy_morning(services: Services) -> None:
    queue = services.queue
    for service in ("SOC", "TAX", "SOC", "RES"):
        queue.issue("test", IssueRequest(service))
    for window in (1, 2):
        ticket = queue.call_next("test", window)
        assert ticket is not None
        queue.start("test", window, ticket.id)
        queue.finish("test", window, ticket.id, CaseType.IMMEDIATE)


def counts(services: Services) -> tuple[int, int, int]:
    with services.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Ticket)) or 0,
            session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.max(Event.seq))) or 0,
        )
