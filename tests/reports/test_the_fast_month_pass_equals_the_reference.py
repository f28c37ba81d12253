"""The month pass made fast (rows as plain tuples, payloads decoded only where read, each leg's
counts kept once per service, window and clerk and summed at the end, the estimates' accuracy
taken in the same pass) gives exactly what the event-by-event pass gave (reference_month_pass):
on randomized streams of every measured kind, and on randomized months in the database of
both engines."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bench.report_synthetic import HALL, fill, hall_config
from queue_server.config.models import HallConfig
from queue_server.demo.month import simulate_days
from queue_server.domain import month_pass as fast
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate_quality import Outcome, per_service
from queue_server.domain.events import EventKind
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.reports import READS_PAYLOAD, ReportService
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.reports import reference_month_pass as reference
from tests.support.factories import local, small_hall

K = EventKind
CLERKS = {"u-alice": "A01", "u-bob": "B02", "u-carol": "C03"}
SERVICES = ("SOC", "TAX", "RES", "ZZZ")  # ZZZ: a service the hall no longer has
REASONS = ("break", "break", "other", "meeting", "training", None)


@dataclass
class Stream:
    """A month's events in order, and the rating rows they point at."""

    events: list[tuple[datetime, str, str | None, int | None, str | None, dict[str, Any]]] = field(
        default_factory=list
    )
    ratings: dict[str, tuple[int, str | None, str, tuple[str, ...], date]] = field(
        default_factory=dict
    )

    def add(
        self,
        at: datetime,
        kind: str,
        ticket: str | None = None,
        window: int | None = None,
        clerk: str | None = None,
        **payload: Any,
    ) -> None:
        self.events.append((at, kind, ticket, window, clerk, payload))


def random_stream(rnd: random.Random, first: date, days: int) -> Stream:
    stream = Stream()
    serial = iter(range(1, 10**6))
    for offset in range(days):
        day = first + timedelta(days=offset)
        opening = local(day.year, day.month, day.day, 8, 30)

        def at(minutes: float, opening: datetime = opening) -> datetime:
            return (
                opening + timedelta(minutes=minutes, microseconds=rnd.randrange(10**6))
            ).astimezone(UTC)

        for window in (1, 2, 3):
            clerk = rnd.choice([*CLERKS, None, "u-stranger"])
            if rnd.random() < 0.8:
                stream.add(
                    at(rnd.uniform(-10, 60)),
                    K.CLERK_SIGNED_IN,
                    window=window,
                    clerk=clerk,
                    staff_no=CLERKS.get(clerk or "") if rnd.random() < 0.7 else None,
                    attendance=rnd.choice(["on_time", "late"]),
                    minutes_late=rnd.randrange(30),
                )
            for _ in range(rnd.randrange(3)):
                start = rnd.uniform(0, 480)
                stream.add(
                    at(start),
                    K.WINDOW_PAUSED,
                    window=window,
                    clerk=clerk,
                    reason=rnd.choice(REASONS),
                )
                if rnd.random() < 0.8:
                    stream.add(
                        at(start + rnd.uniform(1, 90)), K.WINDOW_RESUMED, window=window, clerk=clerk
                    )
            if rnd.random() < 0.7:
                stream.add(
                    at(rnd.uniform(200, 600)),
                    K.CLERK_SIGNED_OUT,
                    window=window,
                    clerk=clerk if rnd.random() < 0.8 else None,
                    staff_no=CLERKS.get(clerk or "") if rnd.random() < 0.5 else None,
                    attendance=rnd.choice(["on_time", "early_leave"]),
                    minutes_early=rnd.randrange(60),
                )
        for _ in range(rnd.randrange(15, 40)):
            ticket_lifecycle(rnd, stream, at, next(serial), day)
        stream.add(at(rnd.uniform(0, 500)), K.TICKET_NOTICE_GIVEN, ticket="unknown")
    stream.events.sort(key=lambda e: e[0])
    return stream


def ticket_lifecycle(rnd: random.Random, stream: Stream, at: Any, n: int, day: date) -> None:
    ticket = f"t{n}"
    service = rnd.choice(SERVICES)
    number = f"A{n:03d}"
    clock = rnd.uniform(0, 420)
    window = rnd.choice([1, 2, 3, None])
    clerk = rnd.choice([*CLERKS, None, "u-stranger"])
    # a ticket left over from before the month starts anywhere in its life
    stage = rnd.choice(["issued"] * 8 + ["called", "started", "held", "finished"])
    if stage == "issued":
        estimate = rnd.choice([None, [], [3, 9], [0, 1], [10, 25]])
        stream.add(
            at(clock), K.TICKET_ISSUED, ticket, number=number, service=service, estimate=estimate
        )
        clock += rnd.uniform(0, 60)
        if rnd.random() < 0.08:
            stream.add(at(clock), K.TICKET_CANCELLED, ticket, number=number)
            return
        if rnd.random() < 0.05:
            stream.add(at(clock), K.TICKET_NOTICE_GIVEN, ticket)
        if rnd.random() < 0.05:
            return  # never called
    if stage in ("issued", "called"):
        calls = 2 if rnd.random() < 0.1 else 1
        for _ in range(calls):
            out_of_order = rnd.random() < 0.1
            extra = {"out_of_order": out_of_order, "reason": "elderly"} if out_of_order else {}
            if rnd.random() < 0.05:
                extra = {"out_of_order": False}
            stream.add(
                at(clock),
                K.TICKET_CALLED,
                ticket,
                window,
                clerk,
                number=number,
                service=service,
                waited_seconds=rnd.randrange(3000),
                window_name="1号窗口",
                **extra,
            )
            clock += rnd.uniform(0, 3)
        if rnd.random() < 0.1:
            stream.add(at(clock), K.TICKET_RECALLED, ticket, window, clerk, service=service)
            clock += rnd.uniform(0, 3)
        if rnd.random() < 0.08:
            stream.add(at(clock), K.TICKET_NO_SHOW, ticket, window, clerk)
            return
    if stage in ("issued", "called", "started"):
        stream.add(at(clock), K.TICKET_STARTED, ticket, window, clerk, service=service)
        clock += rnd.uniform(0, 30)
    if stage != "finished" and rnd.random() < 0.15:
        stream.add(at(clock), K.TICKET_HELD, ticket, window, clerk, service=service)
        clock += rnd.uniform(0, 20)
        if rnd.random() < 0.2:
            stream.add(at(clock), K.TICKET_CANCELLED, ticket, window, clerk)
            return
        stream.add(at(clock), K.TICKET_RETURNED, ticket, window, clerk)
        clock += rnd.uniform(0, 20)
    if rnd.random() < 0.08:
        leg = f"{ticket}-2"
        stream.add(
            at(clock),
            K.TICKET_TRANSFERRED,
            ticket,
            window,
            clerk,
            new_ticket=leg,
            to_service=rnd.choice([*SERVICES, None]),
            service=service,
        )
        ticket, clock = leg, clock + rnd.uniform(0, 30)
        stream.add(at(clock), K.TICKET_CALLED, ticket, window, clerk, service=service)
        clock += rnd.uniform(0, 30)
    case_type = rnd.choice(["immediate", "immediate", "reply", "promised", ""])
    deadline = day + timedelta(days=rnd.randrange(1, 12)) if case_type == "promised" else None
    stream.add(
        at(clock),
        K.TICKET_FINISHED,
        ticket,
        window,
        clerk,
        number=number,
        service=service,
        case_type=case_type,
        **({"deadline": deadline.isoformat()} if deadline and rnd.random() < 0.9 else {}),
    )
    clock += rnd.uniform(0, 5)
    if rnd.random() < 0.4:
        rating = f"r-{ticket}"
        if rnd.random() < 0.9:
            level = rnd.choice(["very_satisfied", "satisfied", "dissatisfied", "very_dissatisfied"])
            reasons = tuple(rnd.sample(["slow", "rude", "unclear"], rnd.randrange(3)))
            stream.ratings[rating] = (window or 1, clerk, level, reasons, day)
        stream.add(at(clock), K.RATING_GIVEN, ticket, window, rating=rating)
    if deadline and rnd.random() < 0.5:
        concluded = day + timedelta(days=rnd.randrange(0, 15))
        stream.add(
            at(clock + 1),
            K.CASE_CONCLUDED,
            ticket,
            concluded_on=concluded.isoformat() if rnd.random() < 0.9 else None,
        )


def contexts(
    config: HallConfig, stream: Stream, first: date, last: date
) -> tuple[fast.MonthContext, reference.MonthContext]:
    calendar = config.hall.calendar()
    common: dict[str, Any] = {
        "hall_id": config.hall.id,
        "hall_name_zh": config.hall.name.zh,
        "calendar": calendar,
        "first_day": first,
        "last_day": last,
        "as_of": last,
        "default_target_wait_minutes": 25,
        "staff_by_user": CLERKS,
        "conclusions": {"t-old": (first + timedelta(days=3), 7)},
    }
    made = []
    for module in (fast, reference):
        made.append(
            module.MonthContext(
                **common,
                services=[module.ServiceInfo(s.code, s.name.zh, 10) for s in config.services],
                windows=[module.WindowInfo(w.number, w.name.zh) for w in config.windows],
                ratings={r: module.RatingRow(*row) for r, row in stream.ratings.items()},
                carried_cases=[
                    module.CarriedCase(
                        "t-old",
                        "A999",
                        "SOC",
                        1,
                        "u-alice",
                        first - timedelta(days=5),
                        first + timedelta(days=1),
                        3,
                    )
                ],
            )
        )
    return made[0], made[1]


def as_read(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What the reading gives the pass: the payload of the kinds it reads, else nothing."""
    return payload if kind in READS_PAYLOAD else {}


def expected_outcomes(stream: Stream, config: HallConfig) -> list[Outcome]:
    """The estimates' accuracy as `waits_between` read it: each issued ticket with an estimate
    against its earliest call."""
    calls: dict[str, datetime] = {}
    for at, kind, ticket, *_ in stream.events:
        if kind == K.TICKET_CALLED and ticket is not None:
            calls[ticket] = min(at, calls.get(ticket, at))
    calendar = config.hall.calendar()
    outcomes = []
    for at, kind, ticket, _, _, payload in stream.events:
        call = calls.get(ticket or "")
        if kind != K.TICKET_ISSUED or not payload.get("estimate") or call is None or call < at:
            continue
        low, high = payload["estimate"]
        outcomes.append(
            Outcome(
                payload["service"],
                calendar.business_day(at),
                low,
                high,
                (call - at).total_seconds() / 60,
            )
        )
    return outcomes


@pytest.mark.parametrize("seed", range(40))
def test_a_random_stream_gives_what_the_reference_pass_gives(seed: int) -> None:
    rnd = random.Random(seed)
    config = small_hall()
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    stream = random_stream(rnd, date(2026, 11, rnd.randrange(1, 20)), rnd.randrange(1, 6))
    new_context, old_context = contexts(config, stream, first, last)
    old = reference.MonthAccumulator(old_context)
    by_rows, by_records = fast.MonthAccumulator(new_context), fast.MonthAccumulator(new_context)
    rows = []
    for seq, (at, kind, ticket, window, clerk, payload) in enumerate(stream.events, start=1):
        old.add(reference.EventRecord(seq, kind, at, ticket, window, clerk, as_read(kind, payload)))
        by_records.add(
            fast.EventRecord(seq, kind, at, ticket, window, clerk, as_read(kind, payload))
        )
        # as the database gives them: instants as SQLite's text, payloads as JSON text
        text = json.dumps(payload) if kind in READS_PAYLOAD else None
        rows.append(
            (
                seq,
                kind,
                at.replace(tzinfo=None).isoformat(sep=" ") + "+00:00",
                ticket,
                window,
                clerk,
                text,
            )
        )
    by_rows.add_rows(rows[: len(rows) // 2], datetime.fromisoformat)
    by_rows.add_rows(rows[len(rows) // 2 :], datetime.fromisoformat)

    expected = old.result()
    assert expected.events == len(stream.events) > 20
    assert by_records.result() == expected
    assert by_rows.result() == expected
    assert per_service(by_rows.estimate_outcomes()) == per_service(
        expected_outcomes(stream, config)
    )


def test_a_synthetic_month_gives_what_the_reference_reading_gives(database_url: str) -> None:
    seed = random.randrange(10**6)
    config = hall_config(4)
    engine = make_engine(database_url)
    try:
        fill(engine, config, [date(2026, 10, 1)], tickets_per_month=600, seed=seed)
        db, halls, clock = (
            Database(engine),
            HallRegistry([config]),
            ManualClock(local(2026, 11, 3, 10, 0)),
        )
        measured = ReportService(db, halls, clock).month_measures(HALL, "2026-10")
        expected = reference.reference_measures(db, halls, clock, HALL, "2026-10")
    finally:
        engine.dispose()
    assert expected.events > 2000, seed
    assert measured == expected, f"seed {seed}"


def test_the_demo_hall_gives_what_the_reference_reading_gives(database_url: str) -> None:
    """Simulated through the hall model: estimates at issue, transfers, holds, pauses."""
    from queue_server.config import load_hall_config
    from queue_server.demo import EXAMPLE_CONFIG

    config = load_hall_config(EXAMPLE_CONFIG)
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        db, halls = Database(engine), HallRegistry([config])
        clock = ManualClock(local(2026, 11, 3, 10, 0))
        ensure_halls(db, halls, clock)
        simulate_days(db, config, [date(2026, 10, 8), date(2026, 10, 9)])
        measured = ReportService(db, halls, clock).month_measures(config.hall.id, "2026-10")
        expected = reference.reference_measures(db, halls, clock, config.hall.id, "2026-10")
    finally:
        engine.dispose()
    assert expected.events > 500 and expected.estimates
    assert any(e.called for e in expected.estimates)
    assert measured == expected
