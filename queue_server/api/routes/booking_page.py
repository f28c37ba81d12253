"""The small mobile booking page for halls without a portal (static files; it calls the
public booking API)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)

PAGE_DIR = FilePath(__file__).resolve().parents[2] / "web" / "booking"
ASSETS = {"booking.js": "text/javascript", "booking.css": "text/css"}
NO_CACHE = {"Cache-Control": "no-cache"}

HallId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]


@router.get("/book/{hall}")
def booking_page(hall: HallId) -> FileResponse:
    # The page reads the hall from its own address and asks the API.
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html", headers=NO_CACHE)


@router.get("/book/static/{name}")
def booking_page_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no asset {name!r}")
    return FileResponse(PAGE_DIR / name, media_type=ASSETS[name], headers=NO_CACHE)
