"""A month's pass kept between runs: the accumulator as it stood after the last event it read,
so the next run of the same month reads only the events appended since (issue 22).

Why a prefix of the log is enough: the pass reads the month's events in sequence order, and a
hall's sequence numbers are handed out under its chain head's row lock, held to COMMIT
(services/event_log.py), so once event n is visible no event below n can appear later. The
events after the kept one, read on the next run, continue the very sequence a full pass
would read. Nothing is ever invalidated by a late record *in the log* (a conclusion entered a
week late is an event like any other). What the pass reads from outside the log while it
reads the events is checked: the calendar, targets, staff numbers and rules by
`inputs_digest`, the rating rows it looked up one by one (`thaw`); the conclusions known now
are read by `result()` from the run that asks. A kept state is used only when these, the code
that made it (`PASS_VERSION`) and its signature all match.

Framework-free: the caller stores and loads the bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import pickle
import sys
import zlib
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from queue_server.domain import estimate_quality, month_measures, month_pass, rating
from queue_server.domain.month_pass import MonthAccumulator, MonthContext

# Attributes of the accumulator that come from the context of the run that continues it.
_FROM_CONTEXT = ("ctx", "calendar", "staff_by_user", "targets", "default_target")
# The modules whose code makes the state: a change to any of them is a new pass.
_PASS_MODULES = (month_pass, month_measures, estimate_quality, rating, sys.modules[__name__])
# The modules whose data classes the state holds.
_STATE_MODULES = {month_pass.__name__, month_measures.__name__}


def _pass_version() -> str:
    digest = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    for module in _PASS_MODULES:
        source = Path(module.__file__ or "")
        digest.update(source.read_bytes() if source.is_file() else module.__name__.encode())
    return digest.hexdigest()[:32]


PASS_VERSION = _pass_version()


class CheckpointRefused(ValueError):
    """A kept state that must not be used: signed by another key, or not ours to read."""


def inputs_digest(context: MonthContext) -> str:
    """What the pass reads from outside the log while it reads the events. Left out: what
    only `result()` reads, from the context of the run that asks for it (the day the result
    is as of, the names, the follow-ups, the promised cases carried in, the conclusions known
    now), and the ratings, of which each kept state checks the rows it read (`thaw`). Sorted
    lines, not a frozenset's repr: a date's hash, and so a set's order, differs between
    processes."""
    calendar = context.calendar
    lines = [
        f"hall\t{context.hall_id}\t{context.first_day}\t{context.last_day}",
        f"zone\t{calendar.timezone}\t{calendar.sessions}\t{sorted(calendar.working_weekdays)}",
        f"holidays\t{sorted(calendar.holidays)}\t{sorted(calendar.makeup_working_days)}",
        f"targets\t{context.default_target_wait_minutes}\t{context.rules}",
    ]
    lines += sorted(f"service\t{s.code}\t{s.target_wait_minutes}" for s in context.services)
    lines += sorted(f"staff\t{user}\t{number}" for user, number in context.staff_by_user.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _ratings_seen(context: MonthContext, read: list[str]) -> str:
    """The rating rows the pass looked up (the context holds the month's; a day's new ones
    are not the kept pass's concern)."""
    ratings = context.ratings
    lines = []
    for rid in read:
        r = ratings.get(rid)
        lines.append(f"{rid}\t-" if r is None else f"{rid}\t{r}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _signature(key: bytes, data: bytes) -> str:
    return hmac.digest(key, b"hallq-month-pass\0" + data, "sha256").hex()


def freeze(accumulator: MonthAccumulator, key: bytes) -> tuple[bytes, str]:
    """The state (compressed) and its signature. Call before `result()`, which closes the
    open day."""
    fields = {k: v for k, v in vars(accumulator).items() if k not in _FROM_CONTEXT}
    state = (fields, _ratings_seen(accumulator.ctx, accumulator.ratings_read))
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    data = zlib.compress(buffer.getbuffer(), 1)
    return data, _signature(key, data)


def thaw(data: bytes, signature: str, key: bytes, context: MonthContext) -> MonthAccumulator:
    """The accumulator kept in `data`, under `context`, ready for the events after it."""
    if not hmac.compare_digest(_signature(key, data), signature):
        raise CheckpointRefused("the kept month pass is not signed by this server's key")
    try:
        fields, ratings_seen = _Unpickler(io.BytesIO(zlib.decompress(data))).load()
    except (pickle.UnpicklingError, zlib.error, EOFError, TypeError, ValueError) as exc:
        raise CheckpointRefused(f"the kept month pass cannot be read: {exc}") from exc
    accumulator = MonthAccumulator(context)
    fresh = vars(accumulator)
    if not isinstance(fields, dict) or set(fields) | set(_FROM_CONTEXT) != set(fresh):
        raise CheckpointRefused("the kept month pass has other fields than this code's")
    fresh.update(fields)
    if _ratings_seen(context, accumulator.ratings_read) != ratings_seen:
        raise CheckpointRefused("a rating the kept month pass read has changed since")
    return accumulator


_ALLOWED_PLAIN = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("collections", "defaultdict"),
    ("collections", "Counter"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("zoneinfo", "ZoneInfo"),
}


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        # An Enum member by its value and a zone by its key (the class called with it), not
        # through `getattr`, which the unpickler below does not hand out.
        if isinstance(obj, Enum):
            return type(obj), (obj.value,)
        if isinstance(obj, ZoneInfo):  # the hall's zone, in its local instants
            return ZoneInfo, (obj.key,)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Only the pass's own data classes, its two default factories and plain values: the
    signature keeps a forged state out, and this keeps a stolen key from running code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_PLAIN:
            return super().find_class(module, name)
        if module in _STATE_MODULES:
            found = getattr(sys.modules[module], name, None)
            if any(found is f for f in _FACTORIES) or (
                isinstance(found, type) and found.__module__ == module
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a month pass")


_FACTORIES = (month_pass._hour_counts, month_pass._pause_totals)
