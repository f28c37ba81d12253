"""The FastAPI application: wiring only; rules live in queue_server.domain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from queue_server.api.deps import Services
from queue_server.api.errors import install_error_handlers
from queue_server.api.routes import halls, tickets, windows
from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock, SystemClock
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, sync_halls
from queue_server.services.tickets import QueueService
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
) -> Services:
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    db = Database(engine)
    registry = HallRegistry(halls)
    sync_halls(db, registry)
    real_clock = clock or SystemClock()
    return Services(
        db=db, halls=registry, clock=real_clock, queue=QueueService(db, registry, real_clock)
    )


def create_app(services: Services) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.db.engine.dispose()

    app = FastAPI(
        title="hallq",
        version="0.1.0",
        summary="Queue server of a government service hall",
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    for module in (halls, tickets, windows):
        app.include_router(module.router)
    return app
