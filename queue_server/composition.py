"""The composition root: every service of the queue server, built once from the database, the
halls, the clock and the settings.

The API takes its services from here (api/deps.py hands them to the routes) and so does
every `hallq` command that touches the database, through `open_services`. A service is made
on first use and then kept: a command that lists users does not create the ID-number key,
and the forecast's cache and the alerts' printer logs live as long as the application. Each
service's module is imported when the service is first made, too: a command that needs three
services does not import twenty (0.2-0.3 s of every command's start, `hallq simulate month`'s
among them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, apply_hall_files, ensure_halls
from queue_server.settings import Settings, process_clock
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade

if TYPE_CHECKING:
    from queue_server.live.runtime import LiveHall
    from queue_server.live.settings import LiveSettings
    from queue_server.services.accounts import AccountService
    from queue_server.services.alert_watch import AlertWatch
    from queue_server.services.alerts import AlertService
    from queue_server.services.assessment import AssessmentService
    from queue_server.services.attendance import AttendanceService
    from queue_server.services.bookings import BookingService
    from queue_server.services.case_conclusions import CaseConclusionService
    from queue_server.services.complaints import ComplaintService
    from queue_server.services.device_tokens import DeviceTokens
    from queue_server.services.devices import DeviceService
    from queue_server.services.duty_log import DutyLog
    from queue_server.services.estimate_outcomes import EstimateQualityToday
    from queue_server.services.floor_actions import FloorActions
    from queue_server.services.follow_ups import FollowUpService
    from queue_server.services.forecast import ForecastService
    from queue_server.services.hall_writer import HallWriter
    from queue_server.services.id_card import IdCardService
    from queue_server.services.leases import LeaseService
    from queue_server.services.manual_entries import ManualEntryService
    from queue_server.services.metrics import HallMetrics
    from queue_server.services.ratings import RatingService
    from queue_server.services.reports import ReportService
    from queue_server.services.retention import RetentionService
    from queue_server.services.tickets import QueueService
    from queue_server.services.window_desk import WindowDesk


class HallFiles(StrEnum):
    """What opening the database does with the hall files it is given (services/halls.py)."""

    APPLY = "apply"  # make each file its hall's baseline: serve's start-up, `hallq hall apply`
    ENSURE = "ensure"  # create only the halls the database does not know: commands with --config
    IGNORE = "ignore"  # read the files, write nothing: reports, audits, retention


class Services:
    """Every service over one database, hall registry and clock; each made once, on first use."""

    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        clock: Clock,
        *,
        settings: Settings | None = None,
        password_hasher: PasswordHasher | None = None,
        id_key: bytes | None = None,
    ) -> None:
        self.db = db
        self._halls = halls
        self.clock = clock
        self._settings = settings
        self._password_hasher = password_hasher
        self._id_key = id_key

    @property
    def halls(self) -> HallRegistry:
        return self._halls

    @halls.setter
    def halls(self, registry: HallRegistry) -> None:
        """Other halls (a test's changed rules): the services are made again over them."""
        self._halls = registry
        for name in [n for n, v in vars(type(self)).items() if isinstance(v, cached_property)]:
            if name not in ("settings", "id_key"):
                self.__dict__.pop(name, None)

    @cached_property
    def settings(self) -> Settings:
        return self._settings or Settings()

    @cached_property
    def id_key(self) -> bytes:
        from queue_server.services.bookings.keys import load_or_create_key

        # The key of the ID-number hash lives outside the database (HALLQ_ID_KEY_FILE).
        return self._id_key or load_or_create_key(Path(self.settings.id_key_file))

    @cached_property
    def queue(self) -> QueueService:
        from queue_server.services.tickets import QueueService

        return QueueService(self.db, self.halls, self.clock)

    @cached_property
    def hall_writer(self) -> HallWriter:
        from queue_server.services.hall_writer import HallWriter

        return HallWriter(self.db, self.halls)

    @cached_property
    def leases(self) -> LeaseService:
        from queue_server.services.leases import LeaseService

        return LeaseService(self.db, self.halls, self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from queue_server.services.accounts import AccountService

        return AccountService(self.db, self.clock, self._password_hasher)

    @cached_property
    def device_tokens(self) -> DeviceTokens:
        from queue_server.services.device_tokens import DeviceTokens

        return DeviceTokens(self.db, self.clock)

    @cached_property
    def bookings(self) -> BookingService:
        from queue_server.services.bookings import BookingService

        return BookingService(self.db, self.halls, self.clock, self.queue, self.id_key)

    @cached_property
    def id_cards(self) -> IdCardService:
        from queue_server.services.id_card import IdCardService

        return IdCardService(
            self.db, self.halls, self.clock, self.queue, self.bookings, self.id_key
        )

    @cached_property
    def devices(self) -> DeviceService:
        from queue_server.services.devices import DeviceService

        return DeviceService(self.db, self.halls, self.clock)

    @cached_property
    def attendance(self) -> AttendanceService:
        from queue_server.services.attendance import AttendanceService

        return AttendanceService(self.db, self.halls, self.clock)

    @cached_property
    def desk(self) -> WindowDesk:
        from queue_server.services.window_desk import WindowDesk

        return WindowDesk(self.db, self.halls, self.clock)

    @cached_property
    def complaints(self) -> ComplaintService:
        from queue_server.services.complaints import ComplaintService

        return ComplaintService(self.db, self.halls, self.clock)

    @cached_property
    def manual_entries(self) -> ManualEntryService:
        from queue_server.services.manual_entries import ManualEntryService

        return ManualEntryService(self.db, self.halls, self.clock)

    @cached_property
    def assessment(self) -> AssessmentService:
        from queue_server.services.assessment import AssessmentService

        return AssessmentService(self.db, self.halls, self.clock)

    @cached_property
    def case_conclusions(self) -> CaseConclusionService:
        from queue_server.services.case_conclusions import CaseConclusionService

        return CaseConclusionService(self.db, self.halls, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from queue_server.services.reports import ReportService

        return ReportService(self.db, self.halls, self.clock)

    @cached_property
    def alerts(self) -> AlertService:
        from queue_server.services.alerts import AlertService

        return AlertService(self.db, self.halls, self.clock)

    @cached_property
    def floor_actions(self) -> FloorActions:
        from queue_server.services.floor_actions import FloorActions

        return FloorActions(self.db, self.halls, self.clock)

    @cached_property
    def duty_log(self) -> DutyLog:
        from queue_server.services.duty_log import DutyLog

        return DutyLog(self.db, self.halls, self.clock)

    @cached_property
    def follow_ups(self) -> FollowUpService:
        from queue_server.services.follow_ups import FollowUpService

        return FollowUpService(self.db, self.halls, self.clock)

    @cached_property
    def ratings(self) -> RatingService:
        from queue_server.services.ratings import RatingService

        return RatingService(self.db, self.halls, self.clock)

    @cached_property
    def forecast(self) -> ForecastService:
        from queue_server.services.forecast import ForecastService

        return ForecastService(self.db, self.halls, self.clock)

    @cached_property
    def retention(self) -> RetentionService:
        from queue_server.services.retention import RetentionService

        return RetentionService(self.db, self.halls, self.clock)

    def close(self) -> None:
        self.db.engine.dispose()


def open_services(
    database_url: str,
    halls: Sequence[HallConfig],
    clock: Clock | None = None,
    *,
    migrate: bool,
    hall_files: HallFiles,
    settings: Settings | None = None,
    password_hasher: PasswordHasher | None = None,
    id_key: bytes | None = None,
    chain_key: bytes | None = None,
    database_class: type[Database] = Database,
) -> Services:
    """The one way into the database: migrate it or not, write the hall files or not.
    `database_class`: a Database with other transactions (the simulator's DayBatch)."""
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    # The event chain's key lives outside the database too (HALLQ_CHAIN_KEY_FILE).
    db = database_class(engine, chain_key=chain_key)
    registry = HallRegistry(halls)
    real_clock = clock or process_clock()
    if hall_files is HallFiles.APPLY:
        apply_hall_files(db, registry, real_clock)
    elif hall_files is HallFiles.ENSURE and halls:
        ensure_halls(db, registry, real_clock)
    return Services(
        db,
        registry,
        real_clock,
        settings=settings,
        password_hasher=password_hasher,
        id_key=id_key,
    )


@contextmanager
def filling_hall(
    database_url: str,
    config: HallConfig,
    clock: Clock,
    *,
    database_class: type[Database] = Database,
) -> Iterator[Services]:
    """One hall's database for a writer that fills it with days (`hallq simulate month`, the
    demo's last month): migrated, the hall created when the database does not know it, the
    engine disposed after."""
    services = open_services(
        database_url,
        [config],
        clock,
        migrate=True,
        hall_files=HallFiles.ENSURE,
        database_class=database_class,
    )
    try:
        yield services
    finally:
        services.close()


@dataclass(frozen=True)
class ServerParts:
    """What one API application runs beside its Services, made once per `create_app`: each
    lives and stops with that application's lifespan (tests start two apps over one Services)."""

    live: LiveHall  # the event stream's fan-out (queue_server/live)
    alert_watch: AlertWatch  # the duty lead's alerts, judged after events and on a tick
    estimate_quality: EstimateQualityToday  # today's accuracy of wait estimates, cached
    metrics: HallMetrics  # /metrics, collected at scrape time


def server_parts(services: Services, live: LiveSettings | None = None) -> ServerParts:
    # Imported here: the commands that open the database through this module need neither
    # the live stream nor prometheus.
    from queue_server.live.runtime import LiveHall
    from queue_server.live.settings import LiveSettings
    from queue_server.services.alert_watch import AlertWatch
    from queue_server.services.estimate_outcomes import EstimateQualityToday
    from queue_server.services.metrics import HallMetrics

    live_hall = LiveHall(services.db, services.halls, services.clock, live or LiveSettings())
    return ServerParts(
        live=live_hall,
        alert_watch=AlertWatch(services.alerts),
        estimate_quality=EstimateQualityToday(services.db, services.halls, services.clock),
        metrics=HallMetrics(services.db, services.halls, services.clock, live_hall),
    )
