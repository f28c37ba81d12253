"""Errors of the service layer that are not rules of the hall."""

from __future__ import annotations

from queue_server.domain.errors import RuleViolation


class NotFound(RuleViolation):
    code = "not_found"


class Conflict(RuleViolation):
    code = "conflict"


class Unavailable(Exception):
    """The database cannot take the request right now (locked, restarting); retry shortly."""

    def __init__(self, message: str, retry_after_seconds: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(RuleViolation):
    """No token, or one that is unknown, expired or revoked (401)."""

    code = "unauthorized"


class Forbidden(RuleViolation):
    """A known principal that may not do this, or not here (403)."""

    code = "forbidden"


class Throttled(RuleViolation):
    """Too many failed logins from this address for this account (429)."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_seconds: int, *, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds
