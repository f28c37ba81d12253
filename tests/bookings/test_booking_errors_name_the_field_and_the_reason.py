"""A refused booking names the field to fix and how, as stable words a page can translate
(`field`, `reason`, and pydantic's `type` for each validation detail), beside the English
message; the existing `error`/`message`/`details` shape is unchanged."""

from __future__ import annotations

from tests.bookings.helpers import person
from tests.support.api import Api

BASE = "/api/v1/halls/test"
SLOT = "2026-11-26T09:00:00+08:00"


def book(api: Api, **changes: str) -> dict[str, object]:
    body = {"service": "SOC", "slot_start": SLOT, **person(1, **changes)}
    response = api.http.post(f"{BASE}/bookings", json=body)
    assert 400 <= response.status_code < 500, response.text
    answer: dict[str, object] = response.json()
    return answer


def test_a_wrong_id_number_says_which_check_failed(public: Api) -> None:
    answer = book(public, id_number="110101199003070010")
    assert answer["error"] == "invalid_id_number"
    assert (answer["field"], answer["reason"]) == ("id_number", "check_character")
    assert "check character" in str(answer["message"])

    answer = book(public, id_number="110101199002300012")
    assert (answer["field"], answer["reason"]) == ("id_number", "birth_date")


def test_a_wrong_phone_and_name_name_their_field(public: Api) -> None:
    assert {k: book(public, phone="23812345678")[k] for k in ("error", "field", "reason")} == {
        "error": "invalid_phone",
        "field": "phone",
        "reason": "format",
    }
    # A name with a digit fails the one text rule of request bodies, before any booking rule:
    # the field is named in the validation details (queue_server/api/schemas.py PersonName).
    named = book(public, name="张3丰")
    assert named["error"] == "invalid_request"
    assert [d["field"] for d in named["details"]] == ["name"]  # type: ignore[union-attr]


def test_a_too_short_field_lists_its_kind(public: Api) -> None:
    answer = book(public, phone="1381234")
    assert answer["error"] == "invalid_request"
    assert answer["details"] == [
        {
            "field": "phone",
            "problem": "String should have at least 11 characters",
            "type": "string_too_short",
        }
    ]
    assert "field" not in answer  # only a rule names one field for the whole request
