"""Visits that leave personal data behind: a bad rating with the visitor's phone, and the
duty lead's follow-up notes naming the visitor and their ID number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import JSON, String, Text, select

from queue_server.api.deps import Services
from queue_server.domain.rating import Level
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import Actor
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.ratings import RatingService
from queue_server.services.tickets import IssueRequest
from queue_server.storage.schema import full_metadata


def bad_visit(services: Services, name: str, phone: str, id_number: str) -> str:
    """One finished case rated 不满意 whose follow-up is contacted, fixed and closed."""
    queue = services.queue
    queue.issue("test", IssueRequest("SOC"))
    ticket = queue.call_next("test", 1)
    assert ticket is not None
    queue.start("test", 1, ticket.id)
    queue.finish("test", 1, ticket.id, CaseType.IMMEDIATE)
    ratings = RatingService(services.db, services.halls, services.clock)
    ratings.rate("test", 1, ticket.id, Level.DISSATISFIED, ["long_wait"], "display-1", phone)
    follow_ups = FollowUpService(services.db, services.halls, services.clock)
    [opened] = [f for f in follow_ups.list("test") if f.visitor_phone == phone]
    lead = Actor(clerk="lead")
    follow_ups.record_contact("test", opened.id, f"called {name} on {phone}", lead)
    follow_ups.record_fix("test", opened.id, f"checked the file of {id_number}", lead)
    follow_ups.close("test", opened.id, f"{name} is content", lead)
    return ticket.id


def text_cells(services: Services) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) of every text or JSON cell of every table."""
    with services.db.read() as session:
        for table in full_metadata().sorted_tables:
            if table.name == "month_pass_checkpoints":
                continue  # a cache of the measures, written by measuring (docs/reports.md)
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
            for row in session.execute(select(*columns)) if columns else ():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield table.name, column.name, str(value)


def find(services: Services, secrets: list[str]) -> list[str]:
    return [
        f"{table}.{column}: {secret}"
        for table, column, value in text_cells(services)
        for secret in secrets
        if secret in value
    ]


def facts(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table without its personal columns (and without the purge's own
    event): what the reports can read."""
    from queue_server.storage.personal_data import registered_rules

    personal = {(r.table, c) for r in registered_rules() for c in r.columns()}
    out: dict[str, list[tuple[Any, ...]]] = {}
    with services.db.read() as session:
        for table in full_metadata().sorted_tables:
            if table.name == "month_pass_checkpoints":
                continue  # a cache of the measures, written by measuring (docs/reports.md)
            columns = [c for c in table.c if (table.name, c.name) not in personal]
            query = select(*columns)
            if table.name == "events":
                query = query.where(table.c.kind != "retention.purged")
            elif table.name == "halls":  # the chain's head moves with the purge's event
                columns = [c for c in columns if c.name not in ("last_seq", "last_hash")]
                query = select(*columns)
            out[table.name] = sorted(tuple(map(repr, row)) for row in session.execute(query))
    return out
