"""The issue's access rules, written out case by case (the matrix checks the table; this
checks that the table says what the hall needs)."""

from __future__ import annotations

import httpx
import pytest

from tests.access.conftest import Hall
from tests.support.auth import bearer

BASE = "/api/v1/halls/test"


def post(hall: Hall, who: str | None, path: str, body: object = None) -> httpx.Response:
    token = hall.token(hall.people[who]) if who else None
    return httpx.post(
        hall.server.url + BASE + path, json=body, headers=bearer(token) if token else {}
    )


def get(hall: Hall, who: str | None, path: str) -> httpx.Response:
    token = hall.token(hall.people[who]) if who else None
    return httpx.get(hall.server.url + BASE + path, headers=bearer(token) if token else {})


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("kiosk", True),
        ("duty lead", True),  # guiding a visitor on the floor
        ("clerk at window 1", False),
        ("display of window 1", False),
        ("board", False),
        ("admin", False),
        ("kiosk of another hall", False),
    ],
)
def test_who_may_take_a_number(hall: Hall, who: str, allowed: bool) -> None:
    response = post(hall, who, "/tickets", {"service": "TAX"})
    assert (response.status_code == 201) is allowed, response.text


def test_nobody_takes_a_number_without_a_token(hall: Hall) -> None:
    response = post(hall, None, "/tickets", {"service": "TAX"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["message"]


def test_a_clerk_acts_only_at_the_window_signed_in_to(hall: Hall) -> None:
    response = post(hall, "clerk at window 2", "/windows/1/call-next")
    assert response.status_code == 403
    assert response.json() == {
        "error": "not_your_window",
        "message": "you are signed in to window 2, not window 1",
    }
    not_signed = post(hall, "clerk signed in nowhere", "/windows/1/call-next")
    assert not_signed.json()["error"] == "not_signed_in"


def test_a_clerk_acts_only_on_the_windows_own_tickets(hall: Hall) -> None:
    response = post(hall, "clerk at window 2", f"/windows/2/tickets/{hall.ticket_id}/start")
    assert response.status_code == 403
    assert response.json()["error"] == "not_at_this_window"
    assert "is at window 1, not at window 2" in response.json()["message"]


def test_the_duty_lead_acts_hall_wide(hall: Hall) -> None:
    response = post(hall, "duty lead", f"/windows/1/tickets/{hall.ticket_id}/start")
    assert response.status_code == 200
    assert post(hall, "duty lead", "/windows/3/pause", {"reason": "meeting"}).status_code == 200


@pytest.mark.parametrize("who", ["supervisor", "admin", "kiosk", "display of window 1", "board"])
def test_nobody_else_runs_a_window(hall: Hall, who: str) -> None:
    assert post(hall, who, "/windows/1/call-next").status_code == 403


def test_only_the_windows_own_display_rates(hall: Hall) -> None:
    path = f"/windows/1/tickets/{hall.ticket_id}/rating"
    body = {"level": "satisfied"}
    for who in ("clerk at window 1", "duty lead", "supervisor", "kiosk", "board"):
        assert post(hall, who, path, body).status_code == 403, who
    assert post(hall, "display of window 2", path, body).json()["error"] == "not_your_window"
    other = f"/windows/2/tickets/{hall.ticket_id}/rating"
    assert post(hall, "display of window 2", other, body).json()["error"] == "not_at_this_window"
    # The display of window 1 passes the check; the ticket is still only called, not finished.
    assert post(hall, "display of window 1", path, body).json()["error"] == "not_rateable"


def test_a_device_speaks_only_for_itself(hall: Hall) -> None:
    body = {"request_id": "r-1"}
    assert post(hall, "kiosk", "/devices/kiosk-1/help", body).status_code == 201
    refused = post(hall, "kiosk", "/devices/kiosk-2/help", body)
    assert refused.status_code == 403
    assert "cannot speak for 'kiosk-2'" in refused.json()["message"]
    assert post(hall, "clerk at window 1", "/devices/kiosk-1/help", body).status_code == 403


def test_follow_ups_are_for_the_duty_lead_and_supervision(hall: Hall) -> None:
    for who, status in (
        ("duty lead", 200),
        ("supervisor", 200),
        ("clerk at window 1", 403),
        ("admin", 403),
        ("display of window 1", 403),
    ):
        assert get(hall, who, "/follow-ups").status_code == status, who
        assert get(hall, who, "/ratings/summary").status_code == status, who


def test_supervision_assesses_and_the_admin_only_reads(hall: Hall) -> None:
    # Supervision runs the month; the admin reads it; clerks and the floor do not (docs/access.md).
    for who, run, read in (
        ("supervisor", 200, 200),
        ("admin", 403, 200),
        ("duty lead", 403, 403),
        ("clerk at window 1", 403, 403),
    ):
        assert post(hall, who, "/assessment/months/2026-10/run").status_code == run, who
        assert get(hall, who, "/assessment/months/2026-10").status_code == read, who
    # The duty lead registers complaints on the floor; only supervision decides them.
    assert get(hall, "clerk at window 1", "/complaints").status_code == 403
    decide = {"upheld": True, "note": "n"}
    assert post(hall, "duty lead", "/complaints/x/close", decide).status_code == 403


def test_a_windows_open_promised_cases_are_read_where_they_are_concluded(hall: Hall) -> None:
    # 办结: the clerk signed in at the window, the duty lead and supervision, like concluding.
    path = "/windows/1/promised-cases"
    for who, status in (
        ("clerk at window 1", 200),
        ("duty lead", 200),
        ("supervisor", 200),
        ("clerk at window 2", 403),
        ("clerk signed in nowhere", 403),
        ("admin", 403),
        ("display of window 1", 403),
        ("kiosk", 403),
    ):
        assert get(hall, who, path).status_code == status, who
    assert get(hall, "clerk at window 2", path).json()["error"] == "not_your_window"


def test_public_reads_need_no_token_but_a_bad_token_is_refused(hall: Hall) -> None:
    for path in ("/snapshot", "/services"):
        assert get(hall, None, path).status_code == 200
    bad = httpx.get(hall.server.url + BASE + "/snapshot", headers=bearer("hqs_nonsense"))
    assert bad.status_code == 401
    assert bad.json()["message"] == "unknown token; log in again"
    status = httpx.get(f"{hall.server.url}/api/v1/tickets/{hall.ticket_id}")
    assert status.status_code == 200, "the status page on the visitor's phone"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("kiosk", True),
        ("duty lead", True),  # checking a visitor in on the floor
        ("clerk at window 1", False),
        ("display of window 1", False),
        ("admin", False),
        ("kiosk of another hall", False),
    ],
)
def test_who_may_check_in_an_appointment(hall: Hall, who: str, allowed: bool) -> None:
    response = post(hall, who, "/bookings/check-in", {"code": "ABCDEF"})
    # Let through, the server looks the code up and finds no such booking.
    assert response.status_code == (404 if allowed else 403), response.text


def test_visitors_book_without_a_token_and_only_the_administrator_imports(hall: Hall) -> None:
    assert get(hall, None, "/booking-slots").status_code == 200
    lookup = post(hall, None, "/bookings/lookup", {"code": "ABCDEF", "phone": "13812345678"})
    assert lookup.status_code == 404
    body = {"format": "csv", "content": "ref,service\n"}
    for who in ("duty lead", "supervisor", "kiosk", "clerk at window 1"):
        assert post(hall, who, "/bookings/import", body).status_code == 403, who
    assert post(hall, "admin", "/bookings/import", body).json()["error"] == "import_rejected"
