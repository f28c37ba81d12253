"""Errors that a rule of the hall raises; adapters turn them into 4xx answers or messages."""

from __future__ import annotations


class RuleViolation(Exception):
    """A request breaks a rule of the hall: `code` is for clients, `message` for people.

    `field` names the input that is wrong and `reason` says how, in words a page can map to
    its own texts in Chinese and English (the message is English, for logs and developers).
    """

    code = "rule_violation"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.reason = reason


class IllegalTransition(RuleViolation):
    code = "illegal_state_change"


class HallClosed(RuleViolation):
    code = "hall_closed"


class DailyCapReached(RuleViolation):
    code = "daily_cap_reached"


class IssuingStopped(RuleViolation):
    code = "issuing_stopped"


class WindowBusy(RuleViolation):
    code = "window_busy"


class WindowPaused(RuleViolation):
    code = "window_paused"


class NotServedHere(RuleViolation):
    code = "not_served_here"


class ReasonRequired(RuleViolation):
    code = "reason_required"
