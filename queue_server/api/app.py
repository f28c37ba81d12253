"""The FastAPI application: wiring only; rules live in queue_server.domain."""

from __future__ import annotations

import logging
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
from queue_server.api.routes import (
    api_docs,
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
    id_card,
    landing,
    leases,
    ratings,
    staff,
    ticket_page,
    tickets,
    voice,
    windows,
)
from queue_server.api.routes import assessment as assessment_routes
from queue_server.api.routes import complaints as complaint_routes
from queue_server.api.routes import reports as report_routes
from queue_server.api.security_headers import SecurityHeaders
from queue_server.api.text_rule import UrlTextRule
from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock
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
from queue_server.services.id_card import IdCardService
from queue_server.services.tickets import QueueService
from queue_server.settings import Settings, process_clock
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade


def _operation_id(route: APIRoute) -> str:
    return route.name

logger = logging.getLogger("hallq.server")


def build_services(
    database_url: str,
    halls: Sequence[HallConfig],
    clock: Clock | None = None,
    *,
    migrate: bool = True,
    password_hasher: PasswordHasher | None = None,
    id_key: bytes | None = None,
    chain_key: bytes | None = None,
) -> Services:
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    # The event chain's key lives outside the database too (HALLQ_CHAIN_KEY_FILE).
    db = Database(engine, chain_key=chain_key)
    registry = HallRegistry(halls)
    real_clock = clock or process_clock()
    # Serve's start-up applies its hall files as the baseline: nothing when unchanged, an
    # event when changed; the duty lead's decisions of today stay (services/halls.py).
    apply_hall_files(db, registry, real_clock)
    queue = QueueService(db, registry, real_clock)
    # The key of the ID-number hash lives outside the database (HALLQ_ID_KEY_FILE).
    key = id_key or load_or_create_key(Path(Settings().id_key_file))
    bookings = BookingService(db, registry, real_clock, queue, key)
    return Services(
        db=db,
        halls=registry,
        clock=real_clock,
        queue=queue,
        accounts=AccountService(db, real_clock, password_hasher),
        bookings=bookings,
        id_cards=IdCardService(db, registry, real_clock, queue, bookings, key),
    )


def warn_about_provisional_calendars(services: Services) -> None:
    """A year the holiday library does not carry yet still opens, on its statutory days only:
    say so where the administrator looks (docs/calendar.md)."""
    for hall in services.halls.all():
        today = hall.calendar.business_day(services.clock.now())
        for year in hall.calendar.provisional_years(today):
            logger.warning(
                "hall %s: the national holiday arrangement of %d is not known yet; only the "
                "statutory days are closed and no make-up working day (调休) is set. Upgrade "
                "the holidays package or enter the days in the hall file (docs/calendar.md)",
                hall.id,
                year,
            )


def create_app(services: Services, live: LiveSettings | None = None) -> FastAPI:
    live_hall = LiveHall(services.db, services.halls, services.clock, live or LiveSettings())
    # The duty lead's alerts: judged after every event and on a tick (docs/floor-monitor.md).
    alert_watch = AlertWatch(AlertService(services.db, services.halls, services.clock))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warn_about_provisional_calendars(services)
        async with live_hall.running(), alert_watch.running(), booking_tasks(services.bookings):
            yield
        services.db.engine.dispose()

    app = FastAPI(
        title="hallq",
        version="0.1.0",
        summary="Queue server of a government service hall",
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
        # /docs and /redoc are served from local files (api/routes/api_docs.py), not a CDN.
        docs_url=None,
        redoc_url=None,
        # Access control for every route, from one table (queue_server/api/access.py).
        dependencies=[Depends(authorize)],
    )
    app.state.services = services
    app.state.live = live_hall
    install_error_handlers(app)
    app.add_middleware(BodyLimit)  # 413 before a huge body is read (api/body_limit.py)
    app.add_middleware(UrlTextRule)  # 422 for a control character in the URL (api/text_rule.py)
    app.add_middleware(SecurityHeaders)  # CSP on HTML pages, nosniff (api/security_headers.py)
    for module in (halls, tickets, windows, devices, ticket_page):
        app.include_router(module.router)
    for module in (events, board, voice):
        app.include_router(module.router)
    for module in (auth, desk, ratings, staff, forecast):
        app.include_router(module.router)
    app.include_router(floor.router)
    app.include_router(health.router)
    app.include_router(landing.router)  # issue 27: the start page at /
    app.include_router(api_docs.router)
    app.include_router(bookings.router)
    app.include_router(id_card.router)  # 刷身份证取号
    app.include_router(leases.router)  # kiosks issuing while cut off
    app.include_router(booking_page.router)
    app.include_router(complaint_routes.router)  # issue 7
    app.include_router(assessment_routes.router)
    app.include_router(report_routes.router)  # issue 7: measures and bulletin
    warn_about_unruled_routes(app)
    install_error_responses(app)  # every error status in /openapi.json (api/openapi.py)
    return app
