"""/docs (Swagger UI) and /redoc from files on this machine: a hall's LAN has no internet, and
FastAPI's own pages load their scripts from a CDN. The files come from the fastapi-offline
package (its static folder only; the app is built as usual)."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from queue_server.services.errors import NotFound

router = APIRouter(tags=["docs"])

ASSETS = Path(str(files("fastapi_offline") / "static"))
_ASSET = re.compile(r"[a-z0-9_.-]+\.(?:js|css|png)")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
_BASE = "/docs/assets"


@router.get("/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="hallq API",
        swagger_js_url=f"{_BASE}/swagger-ui-bundle.js",
        swagger_css_url=f"{_BASE}/swagger-ui.css",
        swagger_favicon_url=f"{_BASE}/favicon.png",
    )


@router.get("/redoc", include_in_schema=False)
def api_redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url="/openapi.json",
        title="hallq API",
        redoc_js_url=f"{_BASE}/redoc.standalone.js",
        redoc_favicon_url=f"{_BASE}/favicon.png",
        with_google_fonts=False,
    )


@router.get(_BASE + "/{name}", include_in_schema=False)
def api_docs_asset(name: str) -> FileResponse:
    path = ASSETS / name
    if not _ASSET.fullmatch(name) or not path.is_file():
        raise NotFound(f"no API docs asset {name!r}")
    return FileResponse(path, media_type=_TYPES.get(path.suffix))
