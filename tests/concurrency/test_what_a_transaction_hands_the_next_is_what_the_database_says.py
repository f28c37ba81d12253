"""A write transaction hands the next one of its process what it knew of a hall's issuing
inputs and queue sizes, at the chain head it left (queue_server/services/carried_inputs.py).
After every step of a random day run by two workers on one database (issues, calls, recalls,
holds and returns, finishes, ratings, no-shows, transfers, cancellations, kiosks' calls for
help and blocks of numbers, pauses, sign-outs and sign-ins, closed windows, stops of issuing,
a new day that reopens the floor without an event, a restarted worker), whatever either
worker carries at the database's current head equals a fresh read, and every place told at
issue equals the place counted afresh; a memo caught up with the other worker's events
included. On both engines."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.domain.tickets import CaseType, TicketState
from queue_server.services.devices import HelpRequest
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.queries import handling_minutes, service_capacity
from queue_server.storage.tables import Hall, Service, Ticket, Window, WindowService
from tests.support.auth import clerk_at
from tests.support.factories import OPEN_MORNING, local, make_services, small_hall

HALL = "test"
SERVICES = ("SOC", "TAX", "RES")
WINDOWS = (1, 2, 3, 4)


def carried_matches_the_database(worker: Services) -> int | None:
    """None if the worker carries no memo at the current head; if it does, the memo must be
    true, and the answer is how many windows' weights it carried."""
    with worker.db.read() as session:
        head = session.execute(select(Hall.last_seq, Hall.last_hash).where(Hall.id == HALL)).one()
        carried = worker.db.carried.peek(HALL)
        if carried is None or (carried.seq, carried.hash) != tuple(head):
            return None
        for key, value in carried.inputs.items():
            kind, _, service = key
            if kind == "stopped":
                fresh: Any = [
                    (session.scalar(
                        select(Service.issuing_stopped).where(
                            Service.hall_id == HALL, Service.code == service
                        )
                    ),)
                ]  # fmt: skip
                assert [tuple(row) for row in value] == fresh, key
            elif kind == "capacity":
                assert value == service_capacity(session, HALL, service), key
            elif kind == "handling":
                assert list(value) == handling_minutes(session, HALL, service), key
            else:
                raise AssertionError(f"a carried input this test does not know: {key}")
        for window, weights in carried.weights.items():
            rows = session.execute(
                select(WindowService.service_code, WindowService.weight).where(
                    WindowService.hall_id == HALL, WindowService.window_no == window
                )
            ).all()
            assert weights == dict(rows), window
        for (_, service), size in carried.sizes.items():
            waiting = session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(
                    Ticket.hall_id == HALL,
                    Ticket.state == TicketState.WAITING.value,
                    Ticket.service_code == service,
                    Ticket.target_window.is_(None),
                )
            )
            assert size == waiting, service
    return len(carried.weights)


def test_two_workers_random_day_carries_only_the_truth(database_url: str) -> None:
    clock = ManualClock(OPEN_MORNING)
    hall = small_hall(extra_windows=1)
    workers = [make_services(database_url, hall, clock=clock) for _ in range(2)]
    rng = random.Random(20261206)
    try:
        clerks = {window: clerk_at(workers[0], window, hall=HALL) for window in WINDOWS}
        checked = weights_checked = pauses_past_capacities = 0

        def issue(w: Services) -> None:
            issued = w.queue.issue(HALL, IssueRequest(rng.choice(SERVICES))).ticket
            # The place told at issue is the place counted afresh, in a read of its own.
            assert issued.ahead == w.queue.get_ticket(issued.id).ahead

        def call_and_end(w: Services) -> None:
            window = rng.choice(WINDOWS)
            called = w.queue.call_next(HALL, window)
            if called is None:
                return
            clock.advance(timedelta(minutes=rng.randint(1, 6)))
            if rng.random() < 0.3:
                w.queue.recall(HALL, window, called.id)
            if rng.random() < 0.15:
                w.queue.hold(HALL, window, called.id, "fetching a document")
                clock.advance(timedelta(minutes=rng.randint(1, 3)))
                gone = rng.random()
                if gone < 0.3:
                    w.queue.no_show(HALL, window, called.id)
                    return
                if gone < 0.5:
                    # Cancelled on hold: it leaves no queue, it had left it when called.
                    w.queue.cancel(HALL, called.id, "left while on hold")
                    return
                w.queue.return_(HALL, window, called.id)
            if rng.random() < 0.2:
                w.queue.no_show(HALL, window, called.id)
            elif rng.random() < 0.15:
                w.queue.transfer(
                    HALL, window, called.id, to_service=rng.choice(SERVICES), to_window=None,
                    note="transferred in the random day",
                )  # fmt: skip
            else:
                w.queue.start(HALL, window, called.id)
                w.queue.finish(HALL, window, called.id, CaseType.IMMEDIATE)
                if rng.random() < 0.5:
                    level = rng.choice(list(Level))
                    reasons = ["attitude"] if level.name.endswith("DISSATISFIED") else []
                    w.ratings.rate(HALL, window, called.id, level, reasons, f"display-{window}")

        def cancel(w: Services) -> None:
            with w.db.read() as session:
                waiting = session.scalars(
                    select(Ticket.id).where(Ticket.state == TicketState.WAITING.value)
                ).all()
            if waiting:
                w.queue.cancel(HALL, rng.choice(list(waiting)), "left the hall")

        def beside_the_queue(w: Services) -> None:
            # A kiosk's call for help, or its block of numbers taken: events that change no
            # input and no queue, between the others.
            if rng.random() < 0.5:
                w.devices.request_help(HALL, "kiosk-1", HelpRequest(screen="home"))
            else:
                key = f"lease-{rng.random()}"
                w.leases.take(HALL, "kiosk-1", rng.choice(SERVICES), key, SYSTEM)

        def pause_or_resume(w: Services) -> None:
            window = rng.choice(WINDOWS)
            with w.db.read() as session:
                paused = session.scalar(
                    select(Window.paused).where(Window.hall_id == HALL, Window.number == window)
                )
            if paused:
                w.queue.resume(HALL, window)
            else:
                w.queue.pause(HALL, window, "break", None)

        def sign_out_and_in(w: Services) -> None:
            # The clerk's break or a shift's change: attendance, between the others.
            window = rng.choice(WINDOWS)
            w.attendance.sign_out(HALL, window, SYSTEM)
            clock.advance(timedelta(seconds=rng.randint(5, 40)))
            w.attendance.sign_in(HALL, window, clerks[window].user_id)

        def close_or_open(w: Services) -> None:
            window = rng.choice(WINDOWS)
            if rng.random() < 0.5:
                w.floor_actions.close_window(HALL, window, "no staff", SYSTEM)
            else:
                w.floor_actions.open_window(HALL, window, SYSTEM)

        def stop_or_resume_issuing(w: Services) -> None:
            service = rng.choice(SERVICES)
            if rng.random() < 0.5:
                w.floor_actions.stop_issuing(HALL, service, "maintenance", SYSTEM)
            else:
                w.floor_actions.resume_issuing(HALL, service, SYSTEM)

        def reassign(w: Services) -> None:
            window = rng.choice(WINDOWS)
            served = rng.sample(SERVICES, rng.randint(1, len(SERVICES)))
            w.floor_actions.reassign(
                HALL, window, {code: rng.randint(1, 3) for code in served}, SYSTEM
            )

        steps: list[tuple[Callable[[Services], None], int]] = [
            (issue, 12),
            (call_and_end, 6),
            (cancel, 1),
            (beside_the_queue, 2),
            (pause_or_resume, 2),
            (sign_out_and_in, 1),
            (close_or_open, 1),
            (stop_or_resume_issuing, 1),
            (reassign, 1),
        ]
        actions = [action for action, weight in steps for _ in range(weight)]
        for step in range(360):
            if step == 180:
                # The next working day: each worker's first write reopens windows and restarts
                # issuing without an event (floor_day.py); nothing carried from before holds.
                clock.set(local(2026, 11, 26, 9, 30))
            if step == 270:
                # A worker restarts: it carries nothing, and learns again from its own writes.
                workers[1].db.engine.dispose()
                workers[1] = make_services(database_url, hall, clock=clock)
            worker = rng.choice(workers)
            action = rng.choice(actions)
            before = worker.db.carried.peek(HALL)
            paused = False  # a pause or resume that went through (a refused one appends nothing)
            try:
                action(worker)
                paused = action is pause_or_resume
            except Exception as refused:
                if not type(refused).__module__.startswith("queue_server."):
                    raise
            clock.advance(timedelta(seconds=rng.randint(5, 40)))
            for w in workers:
                found = carried_matches_the_database(w)
                if found is not None:
                    checked += 1
                    weights_checked += found
                    if paused and w is worker and before is not None:
                        # What the pausing worker carried past its pause, capacities once
                        # included, is true.
                        pauses_past_capacities += any(k[0] == "capacity" for k in before.inputs)
        # The memo was really carried and checked, not merely absent.
        assert checked > 100, checked
        assert sum(w.db.carried.taken_over for w in workers) > 100
        # ... also past the other worker's events (issues, calls, moves, ratings).
        assert sum(w.db.carried.caught_up for w in workers) > 30
        assert weights_checked > 20, weights_checked
        # ... and past pauses and resumes, which change the capacities alone.
        assert pauses_past_capacities > 3, pauses_past_capacities
    finally:
        for w in workers:
            w.db.engine.dispose()
