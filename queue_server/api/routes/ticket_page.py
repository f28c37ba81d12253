"""The ticket status page a receipt's QR code opens on a visitor's phone (static files)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)

PAGE_DIR = FilePath(__file__).resolve().parents[2] / "web" / "status"
ASSETS = {"status.js": "text/javascript", "alert.js": "text/javascript", "status.css": "text/css"}
NO_CACHE = {"Cache-Control": "no-cache"}

TicketId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.get("/t/{ticket_id}")
def ticket_page(ticket_id: TicketId) -> FileResponse:
    # The page reads the id from its own address and asks the API; nothing to fill in here.
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html", headers=NO_CACHE)


@router.get("/t/static/{name}")
def ticket_page_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no asset {name!r}")
    return FileResponse(PAGE_DIR / name, media_type=ASSETS[name], headers=NO_CACHE)
