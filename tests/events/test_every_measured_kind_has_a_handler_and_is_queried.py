"""The month pass reads exactly the kinds it handles: the query list derives from the handlers,
and every measured kind is one a service writes."""

from __future__ import annotations

from queue_server.domain import month_pass as measures
from queue_server.domain.events import EventKind
from queue_server.services.reports import QUERIED_KINDS


def test_the_handlers_are_keyed_by_catalogued_kinds() -> None:
    assert all(isinstance(kind, EventKind) for kind in measures._HANDLERS)


def test_every_measured_kind_has_a_handler_and_is_queried() -> None:
    assert set(measures.MEASURED_KINDS) == set(measures._HANDLERS)
    assert sorted(QUERIED_KINDS) == sorted(kind.value for kind in measures._HANDLERS)
    assert EventKind.TICKET_FINISHED in measures.MEASURED_KINDS
