"""Slowing down password guessing: per account and address, a pause that grows.

The first few failures cost nothing (people mistype); from the `free`-th failure in a row the
account is locked for that address for a pause that doubles with every further failure, up
to a ceiling. A success clears the count. A failure long after the last one starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    free: int = 5
    first_pause: timedelta = timedelta(seconds=30)
    longest_pause: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: datetime | None
    locked_until: datetime | None


NONE = Failures(0, None, None)


def retry_after(failures: Failures, now: datetime) -> int | None:
    """Seconds to wait before another attempt is even checked, or None when it may be tried."""
    if failures.locked_until is None or failures.locked_until <= now:
        return None
    return max(1, int((failures.locked_until - now).total_seconds() + 0.999))


def after_failure(failures: Failures, now: datetime, policy: ThrottlePolicy) -> Failures:
    count = failures.count
    if failures.last_at is not None and now - failures.last_at >= policy.forget_after:
        count = 0
    count += 1
    locked_until = None
    if count >= policy.free:
        pause = policy.first_pause * 2 ** min(count - policy.free, 16)
        locked_until = now + min(pause, policy.longest_pause)
    return Failures(count, now, locked_until)
