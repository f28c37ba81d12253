"""Pre-recorded voice clips for the hall board (`hallq voice build` writes them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from queue_server.live.runtime import LiveHall
from queue_server.services.errors import NotFound
from queue_server.voice.clips import MANIFEST_NAME

router = APIRouter(tags=["voice"])

_CLIP = re.compile(r"[a-z]{2}_[A-Za-z0-9_]+\.wav")


@router.get("/voice/clips/{name}", include_in_schema=False)
def voice_clip(name: str, request: Request) -> Response:
    live: LiveHall = request.app.state.live
    path = live.settings.voice_dir / name
    if name == MANIFEST_NAME:
        if not path.is_file():
            raise NotFound(
                "no voice clips on this server; run `hallq voice build` (needs espeak-ng)"
            )
        return JSONResponse(public_manifest(path), headers=_REVALIDATE)
    if not _CLIP.fullmatch(name) or not path.is_file():
        raise NotFound(f"no voice clip {name!r}")
    return FileResponse(path, media_type="audio/wav", headers=_REVALIDATE)


_REVALIDATE = {"Cache-Control": "no-cache"}
# What the board needs of a clip; the file on disk also records the tools' versions (to know
# when to rebuild), which a public page has no business showing.
_PUBLIC_CLIP_FIELDS = ("file", "duration", "text", "voice")


def public_manifest(path: Path) -> dict[str, Any]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotFound("the voice clips' manifest is unreadable; run `hallq voice build`") from exc
    clips = stored.get("clips") if isinstance(stored, dict) else None
    return {
        "format": stored.get("format") if isinstance(stored, dict) else None,
        "clips": {
            str(token): {k: v for k, v in entry.items() if k in _PUBLIC_CLIP_FIELDS}
            for token, entry in (clips or {}).items()
            if isinstance(entry, dict)
        },
    }
