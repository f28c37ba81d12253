"""The ASGI entry point uvicorn imports (`queue_server.api.main:app_from_env`, factory)."""

from __future__ import annotations

from fastapi import FastAPI

from queue_server.api.app import build_services, create_app
from queue_server.api.heap import settle_heap
from queue_server.config import load_hall_configs
from queue_server.demo import demo_hall_config
from queue_server.settings import Settings


def app_from_env() -> FastAPI:
    settings = Settings()
    paths = settings.config_paths()
    halls = load_hall_configs(paths) if paths else [demo_hall_config()]
    services = build_services(settings.database_url, halls, migrate=settings.auto_migrate)
    app = create_app(services)
    settle_heap()
    return app
