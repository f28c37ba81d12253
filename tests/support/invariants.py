"""The invariants a hall must keep whatever happened to it, checked from its database.

The event log is replayed through the real rule (queue_server.domain.tickets.next_state), so
an illegal move anywhere in the log is found, and the replayed states are compared with the
tickets table; numbers are checked for uniqueness per day and prefix; the hash chain is
verified; counts the API reports are compared with counts taken from the log; and what each
event-stream subscriber saw is compared with the log. Each failed check is one line in
`problems`, naming the ticket, window or sequence number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallq_client.events import StreamEvent
from queue_server.domain.errors import IllegalTransition
from queue_server.domain.tickets import AT_WINDOW_STATES, Action, TicketState, next_state
from queue_server.services.event_log import verify_chain
from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Event, Ticket

ACTIONS: dict[str, Action] = {
    "ticket.called": Action.CALL,
    "ticket.recalled": Action.RECALL,
    "ticket.started": Action.START,
    "ticket.held": Action.HOLD,
    "ticket.returned": Action.RETURN,
    "ticket.transferred": Action.TRANSFER,
    "ticket.finished": Action.FINISH,
    "ticket.no_show": Action.NO_SHOW,
    "ticket.cancelled": Action.CANCEL,
}
# Ticket events that record something without moving the ticket.
NO_MOVE = frozenset({"ticket.notice_given"})


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    kind: str
    ticket: str | None
    window: int | None
    payload: dict[str, Any]


@dataclass
class Replay:
    states: dict[str, TicketState] = field(default_factory=dict)
    windows: dict[str, int | None] = field(default_factory=dict)  # ticket -> window of its call
    moves: int = 0
    unreplayed_kinds: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


@dataclass
class HallCheck:
    events: int = 0
    tickets: int = 0
    moves: int = 0
    log: list[LoggedEvent] = field(default_factory=list)
    replay: Replay = field(default_factory=Replay)
    problems: list[str] = field(default_factory=list)


def read_log(session: Session, hall: str) -> list[LoggedEvent]:
    rows = session.execute(
        select(Event.seq, Event.kind, Event.ticket_id, Event.window_no, Event.payload)
        .where(Event.hall_id == hall)
        .order_by(Event.seq)
    )
    return [LoggedEvent(seq, kind, ticket, window, dict(payload)) for seq, kind, ticket, window,
            payload in rows]  # fmt: skip


def replay(log: Iterable[LoggedEvent]) -> Replay:
    """Every ticket event through next_state; at most one ticket at a window at a time."""
    out = Replay()
    at_window: dict[int, str] = {}
    for event in log:
        ticket = event.ticket
        if not event.kind.startswith("ticket.") or ticket is None or event.kind in NO_MOVE:
            continue
        if event.kind == "ticket.issued":
            if ticket in out.states:
                out.problems.append(f"seq {event.seq}: ticket {ticket} issued twice")
            out.states[ticket] = TicketState.WAITING
            continue
        action = ACTIONS.get(event.kind)
        if action is None:
            # A kind this replay does not know (a later feature): it may bring a ticket in.
            out.unreplayed_kinds[event.kind] += 1
            out.states.setdefault(ticket, TicketState.WAITING)
            continue
        current = out.states.get(ticket)
        if current is None:
            out.problems.append(f"seq {event.seq}: {event.kind} for unknown ticket {ticket}")
            continue
        try:
            after = next_state(current, action, number=str(event.payload.get("number", "")))
        except IllegalTransition as exc:
            out.problems.append(f"seq {event.seq}: illegal move: {exc}")
            continue
        out.moves += 1
        out.states[ticket] = after
        if action is Action.CALL:
            if event.window is None:
                out.problems.append(f"seq {event.seq}: ticket {ticket} called at no window")
            elif at_window.get(event.window, ticket) != ticket:
                out.problems.append(
                    f"seq {event.seq}: window {event.window} called {ticket} while "
                    f"{at_window[event.window]} was still at it"
                )
            out.windows[ticket] = event.window
        window = out.windows.get(ticket)
        if window is not None:
            if after in AT_WINDOW_STATES:
                at_window[window] = ticket
            elif at_window.get(window) == ticket:
                del at_window[window]
        if action is Action.TRANSFER:
            leg = str(event.payload.get("new_ticket", ""))
            if not leg or leg in out.states:
                out.problems.append(f"seq {event.seq}: transfer leg {leg!r} missing or reused")
            else:
                out.states[leg] = TicketState.WAITING
    return out


def check_database(
    database_url: str, hall: str, acknowledged: Mapping[str, str] | None = None
) -> HallCheck:
    """Chain, legal moves, replayed states = table, unique numbers, no acknowledged loss."""
    check = HallCheck()
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            check.events, broken = verify_chain(session, hall)
            if broken is not None:
                check.problems.append(f"hash chain broken at seq {broken.seq}: {broken.reason}")
            check.log = read_log(session, hall)
            tickets = session.execute(
                select(
                    Ticket.id, Ticket.state, Ticket.business_day, Ticket.prefix, Ticket.seq_no,
                    Ticket.number, Ticket.transferred_from,
                ).where(Ticket.hall_id == hall)
            ).all()  # fmt: skip
    finally:
        engine.dispose()
    check.tickets = len(tickets)
    check.replay = replay(check.log)
    check.moves = check.replay.moves
    check.problems += check.replay.problems
    issued: Counter[tuple[date, str, int]] = Counter()
    numbers: dict[str, str] = {}
    for ticket_id, state, day, prefix, seq_no, number, transferred_from in tickets:
        numbers[ticket_id] = number
        if transferred_from is None:
            issued[(day, prefix, seq_no)] += 1
        replayed = check.replay.states.get(ticket_id)
        if replayed is None:
            check.problems.append(f"ticket {ticket_id} ({number}) has no event in the log")
        elif replayed.value != state:
            check.problems.append(
                f"ticket {ticket_id} ({number}) is {state} but its events say {replayed.value}"
            )
    for (day, prefix, seq_no), count in issued.items():
        if count > 1:
            check.problems.append(f"number {prefix}{seq_no} issued {count} times on {day}")
    missing_rows = set(check.replay.states) - set(numbers)
    for ticket_id in sorted(missing_rows)[:20]:
        check.problems.append(f"ticket {ticket_id} is in the log but not in the tickets table")
    for ticket_id, number in (acknowledged or {}).items():
        if ticket_id not in numbers:
            check.problems.append(f"acknowledged ticket {ticket_id} ({number}) was lost")
        elif numbers[ticket_id] != number:
            check.problems.append(
                f"acknowledged ticket {ticket_id} was {number}, now {numbers[ticket_id]}"
            )
    return check


def check_counts(
    base_url: str, hall: str, check: HallCheck, lead_token: str, hall_zone: str = "Asia/Shanghai"
) -> list[str]:
    """What the API reports (window day counts, queue lengths, ratings, the month report's
    counts when the server has reports) against the log."""
    problems: list[str] = []
    headers = {"Authorization": f"Bearer {lead_token}"}
    api = f"{base_url}/api/v1/halls/{hall}"
    with httpx.Client(timeout=60, headers=headers) as http:
        snapshot = http.get(f"{api}/snapshot").json()
        waiting_by_service: Counter[str] = Counter()
        services = _ticket_services(check.log)
        for ticket, state in check.replay.states.items():
            if state is TicketState.WAITING:
                waiting_by_service[services.get(ticket, "?")] += 1
        for queue in snapshot["queues"]:
            logged = waiting_by_service.get(queue["service"], 0)
            if queue["waiting"] != logged:
                problems.append(
                    f"snapshot: {queue['waiting']} waiting for {queue['service']}, log: {logged}"
                )
        rated: Counter[int] = Counter(
            e.window for e in check.log if e.kind == "rating.given" and e.window is not None
        )
        for window in snapshot["windows"]:
            number = window["number"]
            day = http.get(f"{api}/windows/{number}/today").json()
            logged = _window_counts(check, number)
            reported = {k: day[k] for k in ("called", "finished", "no_show", "transferred")}
            if reported != logged:
                problems.append(f"window {number} today: API {reported}, log {logged}")
        summary = http.get(f"{api}/ratings/summary").json()
        by_window: Counter[int] = Counter()
        for row in summary:
            by_window[row["window"]] += row["count"]
        if dict(by_window) != dict(rated):
            problems.append(f"ratings per window: API {dict(by_window)}, log {dict(rated)}")
        at = datetime.fromisoformat(snapshot["at"].replace("Z", "+00:00"))
        month = at.astimezone(ZoneInfo(hall_zone)).strftime("%Y-%m")
        problems += _month_report(http, base_url, api, check, month)
    return problems


MONTH_REPORT = "/api/v1/halls/{hall}/reports/months/{month}"


def _month_report(
    http: httpx.Client, base_url: str, api: str, check: HallCheck, month: str
) -> list[str]:
    """The month report's counts (docs/reports.md), when the server has it, against the log."""
    if MONTH_REPORT not in http.get(f"{base_url}/openapi.json").json().get("paths", {}):
        return []
    answer = http.get(f"{api}/reports/months/{month}")
    if answer.status_code != 200:
        return [f"month report {month}: HTTP {answer.status_code} {answer.text[:200]}"]
    report = answer.json()
    problems: list[str] = []
    per_window: dict[int, Counter[str]] = {}
    for event in check.log:
        name = WINDOW_COUNTS.get(event.kind)
        if name and event.window is not None:
            per_window.setdefault(event.window, Counter())[name] += 1
    for row in report.get("windows", []):
        logged = per_window.get(int(row["window"]), Counter())
        for name in WINDOW_COUNTS.values():
            if name in row and row[name] != logged[name]:
                problems.append(
                    f"month report window {row['window']} {name}: {row[name]}, log {logged[name]}"
                )
    issued = Counter(str(e.payload.get("service")) for e in check.log if e.kind == "ticket.issued")
    for row in report.get("services", []):
        code = row.get("code") or row.get("service")
        if "issued" in row and row["issued"] != issued[code]:
            problems.append(
                f"month report service {code} issued: {row['issued']}, log {issued[code]}"
            )
    return problems


WINDOW_COUNTS = {
    "ticket.called": "called",
    "ticket.finished": "served",
    "ticket.no_show": "no_shows",
    "ticket.recalled": "recalls",
    "ticket.transferred": "transferred_out",
}


def _ticket_services(log: Iterable[LoggedEvent]) -> dict[str, str]:
    services: dict[str, str] = {}
    for event in log:
        if event.kind == "ticket.issued" and event.ticket:
            services[event.ticket] = str(event.payload.get("service"))
        elif event.kind == "ticket.transferred":
            services[str(event.payload.get("new_ticket"))] = str(event.payload.get("to_service"))
    return services


def _window_counts(check: HallCheck, window: int) -> dict[str, int]:
    """One day's load: every ticket of the run counts (the run does not cross midnight)."""
    mine = [t for t, w in check.replay.windows.items() if w == window]
    states = Counter(check.replay.states[t] for t in mine)
    return {
        "called": len(mine),
        "finished": states[TicketState.FINISHED],
        "no_show": states[TicketState.NO_SHOW],
        "transferred": states[TicketState.TRANSFERRED],
    }


@dataclass(frozen=True)
class StreamCheck:
    subscribers: int
    events_each: int
    snapshots: int
    problems: list[str]


def check_streams(
    log: list[LoggedEvent],
    start_seq: int,
    seen: Iterable[tuple[Sequence[StreamEvent | tuple[int, str, str | None]], list[int]]],
) -> StreamCheck:
    """Every subscriber got every event after `start_seq`, in order, once, as logged."""
    expected = [e for e in log if e.seq > start_seq]
    problems: list[str] = []
    count = snapshots = 0
    for index, (events, snaps) in enumerate(seen):
        count += 1
        snapshots += len(snaps)
        got = [(e.seq, e.kind, e.ticket) if isinstance(e, StreamEvent) else e for e in events]
        want = [(e.seq, e.kind, e.ticket) for e in expected]
        if got != want:
            first = next(
                (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            problems.append(
                f"subscriber {index}: {len(got)} events, log has {len(want)}; first difference "
                f"at position {first}: got {got[first : first + 1]}, log {want[first : first + 1]}"
            )
        if snaps:
            problems.append(f"subscriber {index} fell back to {len(snaps)} snapshot(s)")
    return StreamCheck(count, len(expected), snapshots, problems)
