"""Liveness, readiness and Prometheus metrics, for systemd, load balancers and monitoring.

All three are public (queue_server/api/access.py): they carry counts and states the hall
board already shows, nothing about a person, an account or a device token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.process_collector import ProcessCollector

from queue_server.api.deps import ServicesDep
from queue_server.api.errors import error_body
from queue_server.services.metrics import HallMetrics
from queue_server.services.readiness import check_readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and answering (it does not touch the database)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready, with the reason"}})
def readyz(services: ServicesDep) -> JSONResponse:
    """Ready when the database answers and its migrations are the code's."""
    readiness = check_readiness(services.db)
    details = {"revision": readiness.revision, "expected": readiness.expected}
    if not readiness.ready:
        return JSONResponse(
            error_body("not_ready", readiness.reason, [details]),
            status_code=503,
            headers={"Retry-After": "5"},
        )
    return JSONResponse({"status": "ready", "message": readiness.reason, **details})


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    return Response(generate_latest(_registry(request)), media_type=CONTENT_TYPE_LATEST)


def _registry(request: Request) -> CollectorRegistry:
    state = request.app.state
    registry: CollectorRegistry | None = getattr(state, "metrics_registry", None)
    if registry is None:
        registry = CollectorRegistry(auto_describe=False)
        metrics: HallMetrics = state.metrics  # made by the composition root
        registry.register(metrics)
        ProcessCollector(registry=registry)
        state.metrics_registry = registry
    return registry
