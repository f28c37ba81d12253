"""The floor of a business day: the hall's baseline plus the duty lead's decisions of that day.

The rows the call policy, issuing and the snapshot read (`windows.is_open`, `window_services`,
`services.issuing_stopped`) hold the floor as it is now. A decision of the duty lead writes
them with its business day (`*_decided_on`, services/floor_actions.py); every row not decided
today follows the stored baseline (`hall_baselines`, services/halls.py). `ensure_floor_day`
brings the rows in line once per business day and process, before anything reads or changes
them, so the first reader of a new day finds yesterday's decisions gone.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from queue_server.domain.hall_baseline import Arrangement, DecidedToday
from queue_server.services.carried_inputs import changed_without_event
from queue_server.services.database import Database
from queue_server.services.hall_lock import hold_hall, hold_hall_rows
from queue_server.services.issue_inputs import forget_issue_inputs
from queue_server.services.window_weights import forget_window_weights
from queue_server.storage.tables import HallBaseline, Service, Window, WindowService

_confirmed: weakref.WeakKeyDictionary[Database, dict[str, date]] = weakref.WeakKeyDictionary()
_confirmed_lock = threading.Lock()


def ensure_floor_day(db: Database, hall_id: str, day: date) -> None:
    """Make the floor rows those of `day` (baseline + that day's decisions), once per process."""
    with _confirmed_lock:
        if _confirmed.get(db, {}).get(hall_id) == day:
            return
    with db.write() as work:
        session = work.session
        hold_hall_rows(session)
        baseline = session.get(HallBaseline, hall_id)
        if baseline is not None:
            # Before the hall's windows are locked: a worker that starts in the middle of the
            # day must take turns with the other workers' calls (hall_lock.py).
            hold_hall(session, hall_id)
            materialize(session, hall_id, day, Arrangement.from_json(baseline.arrangement))
    with _confirmed_lock:
        _confirmed.setdefault(db, {})[hall_id] = day


def confirm_floor_day(db: Database, hall_id: str, day: date) -> None:
    """Note that the rows are already those of `day` (a file was just applied for it)."""
    with _confirmed_lock:
        _confirmed.setdefault(db, {})[hall_id] = day


def decided_today(session: Session, hall_id: str, day: date) -> DecidedToday:
    windows = session.scalars(select(Window).where(Window.hall_id == hall_id)).all()
    services = session.scalars(select(Service).where(Service.hall_id == hall_id)).all()
    return DecidedToday(
        window_services=frozenset(w.number for w in windows if w.services_decided_on == day),
        window_open=frozenset(w.number for w in windows if w.open_decided_on == day),
        issuing=frozenset(s.code for s in services if s.issuing_decided_on == day),
    )


@dataclass
class FloorRows:
    """One hall's floor rows, read (and locked) beforehand with every other hall's."""

    services: list[Service] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    window_services: list[WindowService] = field(default_factory=list)


def load_floor_rows(session: Session, hall_ids: Collection[str]) -> dict[str, FloorRows]:
    """The floor rows of many halls in three statements instead of three per hall: a host
    of a city's hundred halls starts in a fraction of the time."""
    rows = {hall: FloorRows() for hall in hall_ids}
    ids = list(hall_ids)
    for srow in session.scalars(
        select(Service).where(Service.hall_id.in_(ids))
        .order_by(Service.hall_id, Service.code).with_for_update()
    ):  # fmt: skip
        rows[srow.hall_id].services.append(srow)
    for wrow in session.scalars(
        select(Window).where(Window.hall_id.in_(ids))
        .order_by(Window.hall_id, Window.number).with_for_update()
    ):  # fmt: skip
        rows[wrow.hall_id].windows.append(wrow)
    for ws in session.scalars(select(WindowService).where(WindowService.hall_id.in_(ids))):
        rows[ws.hall_id].window_services.append(ws)
    return rows


def materialize(
    session: Session,
    hall_id: str,
    day: date,
    baseline: Arrangement,
    preloaded: FloorRows | None = None,
) -> None:
    """Rows not decided on `day` take the baseline's values; writes only what differs."""
    services = {
        s.code: s
        for s in (
            preloaded.services if preloaded is not None else session.scalars(
                select(Service).where(Service.hall_id == hall_id).order_by(Service.code)
                .with_for_update()
            )
        )
    }  # fmt: skip
    for code, wanted in baseline.services.items():
        row = services.get(code)
        if row is None:
            row = Service(hall_id=hall_id, code=code, issuing_stopped=False)
            session.add(row)
            services[code] = row
        row.name_zh = wanted.name_zh
        row.prefix = wanted.prefix
    for row in services.values():
        if row.issuing_decided_on != day and (row.issuing_stopped or row.issuing_decided_on):
            row.issuing_stopped = False
            row.issuing_decided_on = None
    windows = {
        w.number: w
        for w in (
            preloaded.windows if preloaded is not None else session.scalars(
                select(Window).where(Window.hall_id == hall_id).order_by(Window.number)
                .with_for_update()
            )
        )
    }  # fmt: skip
    for number, wanted_window in baseline.windows.items():
        wrow = windows.get(number)
        if wrow is None:
            wrow = Window(hall_id=hall_id, number=number, is_open=True, paused=False)
            session.add(wrow)
            windows[number] = wrow
        wrow.name_zh = wanted_window.name_zh
    session.flush()
    for wrow in windows.values():
        if wrow.open_decided_on != day and (not wrow.is_open or wrow.open_decided_on):
            wrow.is_open = True
            wrow.open_decided_on = None
    current: dict[int, dict[str, int]] = {}
    links = (
        preloaded.window_services
        if preloaded is not None
        else session.scalars(select(WindowService).where(WindowService.hall_id == hall_id))
    )
    for ws in links:
        current.setdefault(ws.window_no, {})[ws.service_code] = ws.weight
    for number, wrow in sorted(windows.items()):
        if wrow.services_decided_on == day:
            continue
        wrow.services_decided_on = None
        planned = baseline.windows.get(number)
        wanted_services = dict(planned.services) if planned is not None else {}
        if current.get(number, {}) == wanted_services:
            continue
        session.execute(
            delete(WindowService).where(
                WindowService.hall_id == hall_id, WindowService.window_no == number
            )
        )
        for code, weight in sorted(wanted_services.items()):
            session.add(
                WindowService(hall_id=hall_id, window_no=number, service_code=code, weight=weight)
            )
    session.flush()
    forget_window_weights(session)
    # Opened windows and restarted issuing without an event: nothing remembered holds, in
    # this transaction or carried to the next.
    forget_issue_inputs(session)
    changed_without_event(session, hall_id)
