"""Taking a number: one Idempotency-Key per visitor intent, retried until the server answers.

A double tap, a timeout after the server committed, or a retry after the network came back
all reuse the intent's key, so the server hands back the same ticket instead of a second one.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from hallq_client import ApiError, HallqClient, ServerUnreachable
from kiosk.model import BadAnswer, IssuedTicket

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class TakeIntent:
    """A visitor's decision to take a number for one service at one priority."""

    service: str
    priority: str = "normal"
    key: str = field(default_factory=lambda: f"kiosk-{uuid.uuid4().hex}")


class Refused(Exception):
    """The server answered and said no (hall closed, cap reached...): no ticket exists."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


async def ask_until_answered(
    ask: Callable[[], Awaitable[T]],
    *,
    retry_every: float,
    on_retry: Callable[[int], None] | None = None,
) -> T:
    """The server's confirmed, parsed answer; Refused when it says no; retried forever while
    it cannot be reached, answers 5xx/429 or answers nonsense (BadAnswer). `ask` must be
    safe to repeat (an idempotency key, or a request keyed by what it asks for).

    The caller bounds the wait (the visitor's cancel button cancels this coroutine).
    """
    attempt = 0
    while True:
        try:
            return await ask()
        except ServerUnreachable:
            pass
        except ApiError as exc:
            if exc.status not in RETRYABLE_STATUS:
                raise Refused(exc.code, exc.message) from exc
        except BadAnswer:
            pass  # asked again the same way: the server either has it done or has not
        attempt += 1
        if on_retry is not None:
            on_retry(attempt)
        await asyncio.sleep(retry_every)


async def take_number(
    client: HallqClient,
    intent: TakeIntent,
    *,
    retry_every: float,
    on_retry: Callable[[int], None] | None = None,
) -> IssuedTicket:
    """Return the ticket the server confirmed; raise Refused; retry forever otherwise."""

    async def issue() -> IssuedTicket:
        answer = await client.issue_ticket(
            intent.service, intent.priority, idempotency_key=intent.key
        )
        return IssuedTicket.of(answer)

    return await ask_until_answered(issue, retry_every=retry_every, on_retry=on_retry)
