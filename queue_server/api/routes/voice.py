"""Pre-recorded voice clips for the hall board (`hallq voice build` writes them)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from queue_server.live.runtime import LiveHall
from queue_server.services.errors import NotFound
from queue_server.voice.clips import MANIFEST_NAME

router = APIRouter(tags=["voice"])

_CLIP = re.compile(r"[a-z]{2}_[A-Za-z0-9_]+\.wav")


@router.get("/voice/clips/{name}", include_in_schema=False)
def voice_clip(name: str, request: Request) -> FileResponse:
    live: LiveHall = request.app.state.live
    path = live.settings.voice_dir / name
    if name == MANIFEST_NAME:
        if not path.is_file():
            raise NotFound(
                "no voice clips on this server; run `hallq voice build` (needs espeak-ng)"
            )
        return FileResponse(path, media_type="application/json", headers=_REVALIDATE)
    if not _CLIP.fullmatch(name) or not path.is_file():
        raise NotFound(f"no voice clip {name!r}")
    return FileResponse(path, media_type="audio/wav", headers=_REVALIDATE)


_REVALIDATE = {"Cache-Control": "no-cache"}
