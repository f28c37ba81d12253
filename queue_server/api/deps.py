"""What routes receive from the application: the services of the composition root
(queue_server/composition.py), never the engine."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from queue_server.composition import Services

__all__ = ["Services", "ServicesDep", "get_services"]


async def get_services(request: Request) -> Services:
    """Async: FastAPI runs it on the event loop instead of hopping to a worker thread."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
