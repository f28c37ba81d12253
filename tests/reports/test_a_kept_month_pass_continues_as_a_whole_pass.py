"""A month's pass kept after some of its events and continued with the rest gives exactly what
one pass over all of them gives, wherever it was cut and however often (random streams of
every measured kind); a kept state is refused when its signature or its contents are not
ours; and the digest of the pass's outside inputs is the same in every process and changes
with each of them (domain/month_checkpoint.py)."""

from __future__ import annotations

import io
import json
import os
import pickle
import random
import subprocess
import sys
import zlib
from dataclasses import replace
from datetime import date, datetime

import pytest

from queue_server.domain import month_pass as fast
from queue_server.domain.estimate_quality import per_service
from queue_server.domain.month_checkpoint import (
    CheckpointRefused,
    freeze,
    inputs_digest,
    thaw,
)
from tests.reports.test_the_fast_month_pass_equals_the_reference import (
    READS_PAYLOAD,
    contexts,
    random_stream,
)
from tests.support.factories import small_hall

KEY = b"k" * 32


def as_rows(stream_events: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (
            seq,
            kind,
            at.replace(tzinfo=None).isoformat(sep=" ") + "+00:00",
            ticket,
            window,
            clerk,
            json.dumps(payload) if kind in READS_PAYLOAD else None,
        )
        for seq, (at, kind, ticket, window, clerk, payload) in enumerate(stream_events, start=1)
    ]


def month_context(seed: int) -> tuple[fast.MonthContext, list[tuple]]:  # type: ignore[type-arg]
    rnd = random.Random(seed)
    stream = random_stream(rnd, date(2026, 11, rnd.randrange(1, 20)), rnd.randrange(1, 6))
    context, _ = contexts(small_hall(), stream, date(2026, 11, 1), date(2026, 11, 30))
    return context, as_rows(stream.events)


@pytest.mark.parametrize("seed", range(30))
def test_it_continues_where_it_was_kept(seed: int) -> None:
    context, rows = month_context(seed)
    whole = fast.MonthAccumulator(context)
    whole.add_rows(rows, datetime.fromisoformat)
    expected_outcomes = per_service(whole.estimate_outcomes())
    expected = whole.result()

    rnd = random.Random(seed)
    cuts = sorted(rnd.sample(range(1, len(rows)), k=min(3, len(rows) - 1)))
    accumulator = fast.MonthAccumulator(context)
    done = 0
    for cut in [*cuts, len(rows)]:
        accumulator.add_rows(rows[done:cut], datetime.fromisoformat)
        done = cut
        state, signature = freeze(accumulator, KEY)
        accumulator = thaw(state, signature, KEY, context)
    assert accumulator.events == len(rows) and accumulator.last_seq == len(rows)
    assert per_service(accumulator.estimate_outcomes()) == expected_outcomes
    assert accumulator.result() == expected


def test_it_refuses_a_state_signed_by_another_key() -> None:
    context, rows = month_context(1)
    accumulator = fast.MonthAccumulator(context)
    accumulator.add_rows(rows, datetime.fromisoformat)
    state, signature = freeze(accumulator, KEY)
    with pytest.raises(CheckpointRefused, match="not signed"):
        thaw(state, signature, b"another key", context)
    with pytest.raises(CheckpointRefused, match="not signed"):
        thaw(state[:-1] + bytes([state[-1] ^ 1]), signature, KEY, context)


class Payload:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo pwned",))


def test_it_refuses_anything_but_the_pass_s_own_data_even_signed() -> None:
    from queue_server.domain.month_checkpoint import _signature

    context, _ = month_context(2)
    planted = [pickle.dumps({"events": x}) for x in (Payload(), io.BytesIO(b"x"), subprocess.Popen)]
    planted += [
        b"cbuiltins\neval\n.",
        b"cqueue_server.domain.month_pass\n_HANDLERS\n.",  # not a class: a dict
        b"cqueue_server.domain.month_checkpoint\n_Unpickler\n.",
    ]
    for raw in planted:
        state = zlib.compress(raw)
        with pytest.raises(CheckpointRefused, match="not part of a month pass"):
            thaw(state, _signature(KEY, state), KEY, context)
    fields_missing = zlib.compress(pickle.dumps(({"events": 3}, "")))
    with pytest.raises(CheckpointRefused, match="other fields"):
        thaw(fields_missing, _signature(KEY, fields_missing), KEY, context)


def test_the_inputs_digest_is_the_same_in_another_process() -> None:
    context, _ = month_context(3)
    script = (
        "from tests.reports.test_a_kept_month_pass_continues_as_a_whole_pass import "
        "month_context; from queue_server.domain.month_checkpoint import inputs_digest; "
        "print(inputs_digest(month_context(3)[0]))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        other = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        assert other.stdout.strip() == inputs_digest(context)


def test_the_inputs_digest_changes_with_each_input_the_pass_reads() -> None:
    context, _ = month_context(4)
    calendar = context.calendar
    changed = [
        replace(context, staff_by_user={**context.staff_by_user, "u-alice": "A99"}),
        replace(context, default_target_wait_minutes=26),
        replace(context, services=[replace(context.services[0], target_wait_minutes=11)]),
        replace(context, rules=replace(context.rules, unattended_grace_minutes=6)),
        replace(context, calendar=replace(calendar, holidays={date(2026, 11, 9)})),
        replace(context, calendar=replace(calendar, timezone="Asia/Urumqi")),
    ]
    digests = {inputs_digest(c) for c in changed}
    assert len(digests) == len(changed) and inputs_digest(context) not in digests
    # what only the result reads leaves it as it was
    same = replace(
        context,
        as_of=date(2026, 11, 2),
        follow_ups=[],
        carried_cases=[],
        conclusions={},  # read by result() only
        ratings={},  # each kept state checks the rows it read (below)
    )
    assert inputs_digest(same) == inputs_digest(context)


def test_it_refuses_a_state_whose_ratings_changed_and_takes_new_ones() -> None:
    context, rows = month_context(5)
    accumulator = fast.MonthAccumulator(context)
    accumulator.add_rows(rows, datetime.fromisoformat)
    assert accumulator.ratings_read
    state, signature = freeze(accumulator, KEY)
    read = accumulator.ratings_read[0]
    rating = context.ratings[read]
    later = replace(context, ratings={**context.ratings, "r-new": rating})
    assert thaw(state, signature, KEY, later).events == len(rows)
    changed = replace(context, ratings={**context.ratings, read: replace(rating, window=9)})
    with pytest.raises(CheckpointRefused, match="rating"):
        thaw(state, signature, KEY, changed)


def test_a_kept_pass_continued_under_newer_conclusions_counts_them() -> None:
    """A conclusion entered late (known now, not when the pass was kept) counts as in a
    whole pass made now."""
    context, rows = month_context(6)
    before = replace(context, conclusions={})
    accumulator = fast.MonthAccumulator(before)
    accumulator.add_rows(rows[: len(rows) // 2], datetime.fromisoformat)
    state, signature = freeze(accumulator, KEY)
    continued = thaw(state, signature, KEY, context)
    continued.add_rows(rows[len(rows) // 2 :], datetime.fromisoformat)
    whole = fast.MonthAccumulator(context)
    whole.add_rows(rows, datetime.fromisoformat)
    expected = whole.result()
    unknown = fast.MonthAccumulator(before)
    unknown.add_rows(rows, datetime.fromisoformat)
    assert unknown.result() != expected  # the conclusion of t-old, carried in, matters
    assert continued.result() == expected
