"""Ticket states and the legal moves between them.

A ticket is one visitor's place for one service. A transfer ends the ticket in `transferred`
and opens a new leg for the target service that keeps the number and the original issue time
(DOMAIN.md, first-contact responsibility: the visitor is never sent back to the kiosk).
"""

from __future__ import annotations

from enum import StrEnum

from queue_server.domain.errors import IllegalTransition


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    ON_HOLD = "on_hold"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    HOLD = "hold"
    RETURN = "return"
    TRANSFER = "transfer"
    FINISH = "finish"
    NO_SHOW = "no_show"
    CANCEL = "cancel"


class Priority(StrEnum):
    """Priority classes, strongest first. Appointments rank first only inside their arrival
    window; the service layer downgrades a late check-in to normal (issue: appointments)."""

    APPOINTMENT = "appointment"
    GREEN = "green"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Priority.APPOINTMENT: 0, Priority.GREEN: 1, Priority.NORMAL: 2}


class CaseType(StrEnum):
    """办件类型 recorded when a case is finished (DOMAIN.md)."""

    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件: carries a deadline in working days
    REPLY = "reply"  # 答复件
    JOINT = "joint"  # 联办件
    REPORT_UP = "report_up"  # 报批件


TERMINAL_STATES = frozenset(
    {TicketState.FINISHED, TicketState.NO_SHOW, TicketState.TRANSFERRED, TicketState.CANCELLED}
)
AT_WINDOW_STATES = frozenset({TicketState.CALLED, TicketState.SERVING})

_MOVES: dict[tuple[TicketState, Action], TicketState] = {
    (TicketState.WAITING, Action.CALL): TicketState.CALLED,
    (TicketState.WAITING, Action.CANCEL): TicketState.CANCELLED,
    (TicketState.CALLED, Action.RECALL): TicketState.CALLED,
    (TicketState.CALLED, Action.START): TicketState.SERVING,
    (TicketState.CALLED, Action.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.CALLED, Action.HOLD): TicketState.ON_HOLD,
    (TicketState.CALLED, Action.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.SERVING, Action.HOLD): TicketState.ON_HOLD,
    (TicketState.SERVING, Action.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.SERVING, Action.FINISH): TicketState.FINISHED,
    (TicketState.ON_HOLD, Action.RETURN): TicketState.SERVING,
    (TicketState.ON_HOLD, Action.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.ON_HOLD, Action.CANCEL): TicketState.CANCELLED,
}

_HINTS: dict[Action, str] = {
    Action.CALL: "only a waiting ticket can be called",
    Action.RECALL: "only a called ticket can be recalled",
    Action.START: "start serving a ticket after calling it",
    Action.HOLD: "only a called or serving ticket can be put on hold",
    Action.RETURN: "only a ticket on hold can return",
    Action.TRANSFER: "only a called or serving ticket can be transferred",
    Action.FINISH: "start serving the ticket before finishing it",
    Action.NO_SHOW: "only a called ticket or one on hold can be marked no-show",
    Action.CANCEL: "only a waiting ticket or one on hold can be cancelled",
}


def next_state(current: TicketState, action: Action, *, number: str = "") -> TicketState:
    """The state after `action`, or IllegalTransition saying why not."""
    try:
        return _MOVES[(current, action)]
    except KeyError:
        label = f"ticket {number} " if number else "ticket "
        raise IllegalTransition(
            f"cannot {action.value.replace('_', '-')} {label}in state {current.value}: "
            f"{_HINTS[action]}"
        ) from None


def legal_moves() -> dict[tuple[TicketState, Action], TicketState]:
    return dict(_MOVES)


def move_of(action: Action) -> tuple[frozenset[TicketState], TicketState]:
    """The states `action` may be taken from, and the one state it leads to."""
    sources = frozenset(current for current, taken in _MOVES if taken is action)
    (target,) = {_MOVES[(current, action)] for current in sources}
    return sources, target


def format_number(prefix: str, value: int, width: int = 3) -> str:
    """A012: prefix letters then the day's counter, zero-padded (widens past 999)."""
    return f"{prefix}{value:0{width}d}"
