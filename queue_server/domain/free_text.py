"""Personal data typed into free text (a clerk's note: "visitor's phone 13812345678") is
masked before the text enters the event log, which is public on the hall board's stream and
can never be edited afterwards (its rows are hash-chained).

DOMAIN.md and the architecture forbid personal data in event payloads; notes are the one
place a person can put it there by hand, so they are masked the way screens mask them
(queue_server.domain.masking): 138****5678, 1101**********4578.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from queue_server.domain.masking import mask_id_number, mask_phone

# Standing alone: not part of a longer run of letters or digits (ids, hashes, codes).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_personal_data(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return MOBILE.sub(lambda m: mask_phone(m.group()), text)


def masked_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _masked(value) for key, value in payload.items()}


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, Mapping):
        return masked_payload(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value
