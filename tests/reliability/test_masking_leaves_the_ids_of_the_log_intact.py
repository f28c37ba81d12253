"""Masking reads phones and ID numbers in what people typed; the ids the server mints (uuid4
hex) are references and pass through untouched, even when one ends in a run of digits shaped
like a mobile number. Before, such an id in a `rating.recorded` payload was starred and the
month's assessment could not find the rating it named."""

from __future__ import annotations

import uuid

from queue_server.domain.free_text import masked_payload

# A real uuid4 hex whose last eleven characters read as a mobile number (1 6 and 9 digits).
ID_LIKE_A_PHONE = "61929f0a84a1409fa4fdf16617425274"


def test_it_leaves_a_minted_id_ending_in_a_phone_shaped_run_alone() -> None:
    payload = {"rating": ID_LIKE_A_PHONE, "ticket": {"id": ID_LIKE_A_PHONE}}
    assert masked_payload(payload) == payload


def test_it_leaves_every_minted_id_alone() -> None:
    ids = [uuid.uuid4().hex for _ in range(50_000)]
    assert [masked_payload({"id": i})["id"] for i in ids] == ids


def test_typed_numbers_are_still_masked() -> None:
    masked = masked_payload(
        {"note": "tel13812345678", "in_a_sentence": f"call {ID_LIKE_A_PHONE[-11:]} back"}
    )
    assert masked == {"note": "tel138****5678", "in_a_sentence": "call 166****5274 back"}
