"""The hall board page for the big screen: static files, no build step, nothing from outside."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from queue_server.api.deps import ServicesDep
from queue_server.services.errors import NotFound

router = APIRouter(tags=["board"])

BOARD_DIR = Path(__file__).resolve().parents[2] / "web" / "board"
_ASSET = re.compile(r"[a-z0-9_-]+\.(?:js|css|svg|png|woff2)")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


@router.get("/board/{hall}", include_in_schema=False)
def board_page(hall: str, services: ServicesDep) -> FileResponse:
    services.halls.get(hall)  # 404 for a hall this server does not hold
    return FileResponse(BOARD_DIR / "index.html", media_type="text/html", headers=_NO_CACHE)


@router.get("/board/assets/{name}", include_in_schema=False)
def board_asset(name: str) -> FileResponse:
    path = BOARD_DIR / name
    if not _ASSET.fullmatch(name) or not path.is_file():
        raise NotFound(f"no board asset {name!r}")
    return FileResponse(path, media_type=_TYPES.get(path.suffix), headers=_NO_CACHE)


# A TV left on for months must pick up a new board after an upgrade without anyone touching it.
_NO_CACHE = {"Cache-Control": "no-cache"}
