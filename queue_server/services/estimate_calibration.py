"""The hall's own calibration of the wait ranges (domain/estimate_calibration.py), fitted on
its recorded outcomes: each `ticket.issued` of the last `HISTORY_DAYS` working days that
carries the people ahead and the uncalibrated midpoint, and the ticket's first call.

Fitted once per hall and business day, at the first ticket of the day, then kept: the fit
reads a month of events (tens of thousands on a busy hall), far too much for every ticket,
and one more day moves 20 days' quantiles by little. Today's own outcomes are left out — the
morning's tickets still waiting would bias it towards short waits — so the calibration of a
day never changes during it (every visitor of the day is told waits on the same scale). A hall
with too little history gets `DEFAULT_CALIBRATION` bucket by bucket.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from queue_server.domain.clock import Clock
from queue_server.domain.estimate_calibration import Calibration, fit, sample_of
from queue_server.services.database import Database
from queue_server.services.estimate_outcomes import waits_between
from queue_server.services.halls import HallContext, HallRegistry

HISTORY_DAYS = 20


def history_days(hall: HallContext, today: date, count: int = HISTORY_DAYS) -> tuple[date, date]:
    """The first and last of the `count` working days before `today`."""
    day, found, last = today, 0, today - timedelta(days=1)
    while found < count and (today - day).days < 7 * count:
        day -= timedelta(days=1)
        if hall.calendar.is_working_day(day):
            found += 1
            if found == 1:
                last = day
    return day, last


def fit_hall(db: Database, hall: HallContext, today: date) -> Calibration:
    first, last = history_days(hall, today)
    samples = []
    for waited in waits_between(db, hall, first, last):
        sample = sample_of(waited.payload, waited.waited_minutes)
        if sample is not None:
            samples.append(sample)
    return fit(samples)


class EstimateCalibrations:
    """Each hall's calibration for its business day, fitted at most once a day."""

    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self._fitted: dict[str, tuple[date, Calibration]] = {}
        self._lock = threading.Lock()

    def for_hall(self, hall: HallContext, now: datetime | None = None) -> Calibration:
        today = hall.calendar.business_day(now or self.clock.now())
        with self._lock:
            cached = self._fitted.get(hall.id)
        if cached is not None and cached[0] == today:
            return cached[1]
        calibration = fit_hall(self.db, hall, today)
        with self._lock:
            self._fitted[hall.id] = (today, calibration)
        return calibration
