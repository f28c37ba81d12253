"""The FastAPI application: wiring only; rules live in queue_server.domain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from argon2 import PasswordHasher
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from queue_server.api.access import authorize, warn_about_unruled_routes
from queue_server.api.body_limit import BodyLimit
from queue_server.api.deps import Services
from queue_server.api.errors import install_error_handlers
from queue_server.api.openapi import install_error_responses
from queue_server.api.routes import assessment as assessment_routes
from queue_server.api.routes import (
    auth,
    board,
    booking_page,
    bookings,
    desk,
    devices,
    events,
    floor,
    forecast,
    halls,
    health,
    ratings,
    staff,
    ticket_page,
    tickets,
    voice,
    windows,
)
from queue_server.api.routes import complaints as complaint_routes
from queue_server.api.routes import reports as report_routes
from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock, SystemClock
from queue_server.live.runtime import LiveHall
from queue_server.live.settings import LiveSettings
from queue_server.services.accounts import AccountService
from queue_server.services.alert_watch import AlertWatch
from queue_server.services.alerts import AlertService
from queue_server.services.bookings import BookingService
from queue_server.services.bookings.keys import load_or_create_key
from queue_server.services.bookings.tasks import booking_tasks
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, apply_hall_files
from queue_server.services.tickets import QueueService
from queue_server.settings import Settings
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade


def _operation_id(route: APIRoute) -> str:
    return route.name


def build_services(
    database_url: str,
    halls: Sequence[HallConfig],
    clock: Clock | None = None,
    *,
    migrate: bool = True,
    password_hasher: PasswordHasher | None = None,
    id_key: bytes | None = None,
) -> Services:
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    db = Database(engine)
    registry = HallRegistry(halls)
    real_clock = clock or SystemClock()
    # Serve's start-up applies its hall files as the baseline: nothing when unchanged, an
    # event when changed; the duty lead's decisions of today stay (services/halls.py).
    apply_hall_files(db, registry, real_clock)
    queue = QueueService(db, registry, real_clock)
    # The key of the ID-number hash lives outside the database (HALLQ_ID_KEY_FILE).
    key = id_key or load_or_create_key(Path(Settings().id_key_file))
    return Services(
        db=db,
        halls=registry,
        clock=real_clock,
        queue=queue,
        accounts=AccountService(db, real_clock, password_hasher),
        bookings=BookingService(db, registry, real_clock, queue, key),
    )


def create_app(services: Services, live: LiveSettings | None = None) -> FastAPI:
    live_hall = LiveHall(services.db, services.halls, services.clock, live or LiveSettings())
    # The duty lead's alerts: judged after every event and on a tick (docs/floor-monitor.md).
    alert_watch = AlertWatch(AlertService(services.db, services.halls, services.clock))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with live_hall.running(), alert_watch.running(), booking_tasks(services.bookings):
            yield
        services.db.engine.dispose()

    app = FastAPI(
        title="hallq",
        version="0.1.0",
        summary="Queue server of a government service hall",
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
        # Access control for every route, from one table (queue_server/api/access.py).
        dependencies=[Depends(authorize)],
    )
    app.state.services = services
    app.state.live = live_hall
    install_error_handlers(app)
    app.add_middleware(BodyLimit)  # 413 before a huge body is read (api/body_limit.py)
    for module in (halls, tickets, windows, devices, ticket_page):
        app.include_router(module.router)
    for module in (events, board, voice):
        app.include_router(module.router)
    for module in (auth, desk, ratings, staff, forecast):
        app.include_router(module.router)
    app.include_router(floor.router)
    app.include_router(health.router)
    app.include_router(bookings.router)
    app.include_router(booking_page.router)
    app.include_router(complaint_routes.router)  # issue 7
    app.include_router(assessment_routes.router)
    app.include_router(report_routes.router)  # issue 7: measures and bulletin
    warn_about_unruled_routes(app)
    install_error_responses(app)  # every error status in /openapi.json (api/openapi.py)
    return app
