"""The legal moves of a ticket and the message for an illegal one."""

from __future__ import annotations

import pytest

from queue_server.domain.errors import IllegalTransition
from queue_server.domain.tickets import (
    TERMINAL_STATES,
    Action,
    TicketState,
    format_number,
    legal_moves,
    next_state,
)


def test_a_visit_goes_waiting_called_serving_finished() -> None:
    state = TicketState.WAITING
    for action in (Action.CALL, Action.RECALL, Action.START, Action.HOLD, Action.RETURN):
        state = next_state(state, action)
    assert next_state(state, Action.FINISH) is TicketState.FINISHED


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATES))
def test_nothing_leaves_a_terminal_state(terminal: TicketState) -> None:
    for action in Action:
        with pytest.raises(IllegalTransition):
            next_state(terminal, action)


def test_an_illegal_move_says_what_and_why() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(TicketState.CALLED, Action.FINISH, number="A012")
    assert "ticket A012" in caught.value.message
    assert "start serving" in caught.value.message


def test_every_move_is_listed_once() -> None:
    moves = legal_moves()
    assert (TicketState.WAITING, Action.CALL) in moves
    assert (TicketState.WAITING, Action.FINISH) not in moves


def test_numbers_are_zero_padded_and_grow_past_999() -> None:
    assert format_number("A", 12) == "A012"
    assert format_number("GB", 1000) == "GB1000"
