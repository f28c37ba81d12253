"""Every action on a ticket leads to one state, from the states the table allows it from
(domain/tickets.py `move_of`): what the compare-and-set move at a window writes."""

from __future__ import annotations

import pytest

from queue_server.domain.errors import IllegalTransition
from queue_server.domain.tickets import Action, TicketState, move_of, next_state


@pytest.mark.parametrize("action", list(Action))
def test_it_agrees_with_the_state_machine(action: Action) -> None:
    sources, target = move_of(action)
    assert sources
    for state in TicketState:
        if state in sources:
            assert next_state(state, action) is target
        else:
            with pytest.raises(IllegalTransition):
                next_state(state, action)


def test_a_no_show_is_taken_from_a_call_or_a_hold() -> None:
    assert move_of(Action.NO_SHOW) == (
        frozenset({TicketState.CALLED, TicketState.ON_HOLD}),
        TicketState.NO_SHOW,
    )
