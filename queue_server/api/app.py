"""The FastAPI application: wiring only; rules live in queue_server.domain."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from argon2 import PasswordHasher
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from queue_server.api.access import authorize, warn_about_unruled_routes
from queue_server.api.body_limit import BodyLimit
from queue_server.api.deps import Services
from queue_server.api.errors import install_error_handlers
from queue_server.api.head_as_get import HeadAsGet
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
from queue_server.composition import HallFiles, open_services, server_parts
from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock
from queue_server.live.settings import LiveSettings
from queue_server.services.bookings.tasks import booking_tasks
from queue_server.services.haocha_tasks import haocha_tasks


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
    """The server's services: serve's start-up applies its hall files as the baseline
    (nothing when unchanged, an event when changed; the duty lead's decisions of today stay,
    services/halls.py)."""
    services = open_services(
        database_url,
        halls,
        clock,
        migrate=migrate,
        hall_files=HallFiles.APPLY,
        password_hasher=password_hasher,
        id_key=id_key,
        chain_key=chain_key,
    )
    # The ID-number key is read (or made) at start-up, not by the first visitor's request.
    services.id_cards  # noqa: B018
    return services


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
    # The live stream, the duty lead's alerts (docs/floor-monitor.md), today's estimate
    # accuracy and the metrics: made by the composition root, one set per application.
    parts = server_parts(services, live)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warn_about_provisional_calendars(services)
        async with (
            parts.live.running(),
            parts.alert_watch.running(),
            booking_tasks(services.bookings),
            haocha_tasks(services.db, services.halls, services.clock),
        ):
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
    app.state.live = parts.live
    app.state.estimate_quality = parts.estimate_quality  # cached a minute per hall
    app.state.metrics = parts.metrics
    install_error_handlers(app)
    app.add_middleware(BodyLimit)  # 413 before a huge body is read (api/body_limit.py)
    app.add_middleware(UrlTextRule)  # 422 for a control character in the URL (api/text_rule.py)
    app.add_middleware(SecurityHeaders)  # CSP on HTML pages, nosniff (api/security_headers.py)
    app.add_middleware(HeadAsGet)  # HEAD as GET without the body (api/head_as_get.py)
    for module in (halls, tickets, windows, devices, ticket_page):
        app.include_router(module.router)
    for module in (events, board, voice):
        app.include_router(module.router)
    for module in (auth, desk, ratings, staff, forecast):
        app.include_router(module.router)
    app.include_router(floor.router)
    app.include_router(health.router)
    app.include_router(landing.router)  # the start page at /
    app.include_router(api_docs.router)
    app.include_router(bookings.router)
    app.include_router(id_card.router)  # 刷身份证取号
    app.include_router(leases.router)  # kiosks issuing while cut off
    app.include_router(booking_page.router)
    app.include_router(complaint_routes.router)  # docs/assessment.md
    app.include_router(assessment_routes.router)
    app.include_router(report_routes.router)  # measures and bulletin (docs/reports.md)
    warn_about_unruled_routes(app)
    install_error_responses(app)  # every error status in /openapi.json (api/openapi.py)
    return app
