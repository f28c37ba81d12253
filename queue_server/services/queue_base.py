"""What every part of the queue service shares: the database, the halls, the clock."""

from __future__ import annotations

from queue_server.domain.clock import Clock
from queue_server.services.database import Database
from queue_server.services.estimate_calibration import EstimateCalibrations
from queue_server.services.halls import HallRegistry


class QueueBase:
    db: Database
    halls: HallRegistry
    clock: Clock

    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        # The wait ranges' calibration, fitted once a day per hall and kept with the service.
        self.calibrations = EstimateCalibrations(db, halls, clock)
