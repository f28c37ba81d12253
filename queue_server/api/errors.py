"""Every error leaves the API as JSON: {"error": code, "message": text, "details": [...]}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from queue_server.domain.errors import (
    DailyCapReached,
    HallClosed,
    IllegalTransition,
    IssuingStopped,
    RuleViolation,
    WindowBusy,
    WindowPaused,
)
from queue_server.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Throttled,
    Unauthenticated,
    Unavailable,
)

log = logging.getLogger("hallq.api")

_STATUS: list[tuple[type[RuleViolation], int]] = [
    (Unauthenticated, 401),
    (Forbidden, 403),
    (Throttled, 429),
    (NotFound, 404),
    (Conflict, 409),
    (IllegalTransition, 409),
    (WindowBusy, 409),
    (WindowPaused, 409),
    (HallClosed, 409),
    (IssuingStopped, 409),
    (DailyCapReached, 409),
]


def error_body(
    code: str,
    message: str,
    details: list[Any] | None = None,
    *,
    field: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """`error` is a stable code and `field`/`reason` (when known) say what to fix: pages map
    them to their own texts in Chinese and English; `message` is English, for developers."""
    body: dict[str, Any] = {"error": code, "message": message}
    if field is not None:
        body["field"] = field
    if reason is not None:
        body["reason"] = reason
    if details:
        body["details"] = details
    return body


def status_for(exc: RuleViolation) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 422


def _headers(exc: RuleViolation) -> dict[str, str] | None:
    if isinstance(exc, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, Throttled):
        return {"Retry-After": str(exc.retry_after_seconds)}
    return None


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in ("body",)) or "body"


def _detail(error: dict[str, Any]) -> dict[str, str]:
    """One problem of a refused request. A body that is not JSON at all is located by
    FastAPI at ("body", <character offset>): said as the body's problem, with where and
    what the parser found, not as a field named after a number."""
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        loc = tuple(error.get("loc", ()))
        where = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        found = (error.get("ctx") or {}).get("error")
        because = f" ({str(found).lower()})" if found else ""
        return {
            "field": "body",
            "problem": f"not valid JSON{because}{where}",
            "type": kind,
        }
    return {
        "field": _location(tuple(error.get("loc", ()))),
        "problem": str(error.get("msg", "")),
        "type": kind,  # pydantic's stable kind, e.g. string_too_short
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RuleViolation)
    async def _rule(_: Request, exc: RuleViolation) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, field=exc.field, reason=exc.reason),
            status_code=status_for(exc),
            headers=_headers(exc),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_detail(e) for e in exc.errors()]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:5])
        return JSONResponse(
            error_body("invalid_request", summary or "invalid request", details), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthorized",
            403: "forbidden",
            413: "too_large",
        }.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Unavailable)
    async def _unavailable(_: Request, exc: Unavailable) -> JSONResponse:
        return JSONResponse(
            error_body("unavailable", exc.message),
            status_code=503,
            headers={"Retry-After": str(exc.retry_after_seconds)},
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            error_body("internal_error", "an unexpected error occurred; nothing was saved"),
            status_code=500,
        )
