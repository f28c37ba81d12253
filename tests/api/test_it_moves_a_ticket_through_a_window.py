"""Recall, no-show, start, hold, return, transfer and finish at a window."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from tests.support.api import Api


def called(api: Api, window: int = 1, service: str = "SOC") -> dict:
    api.ticket(service)
    response = api.call_next(window)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_window_cannot_call_while_it_still_has_a_visitor(api: Api) -> None:
    first = called(api)
    api.ticket()
    response = api.call_next(1)
    assert response.status_code == 409
    assert f"still has {first['number']}" in response.json()["message"]


def test_recall_counts_and_the_recall_past_the_limit_is_a_no_show(api: Api) -> None:
    ticket = called(api)
    assert api.act(1, ticket["id"], "recall").json()["recall_count"] == 1
    assert api.act(1, ticket["id"], "recall").json()["recall_count"] == 2
    third = api.act(1, ticket["id"], "recall").json()  # test hall: max_recalls = 2
    assert third["state"] == "no_show"


def test_no_show_frees_the_window(api: Api) -> None:
    ticket = called(api)
    assert api.act(1, ticket["id"], "no-show").json()["state"] == "no_show"
    assert api.call_next(1).status_code == 204


def test_start_then_finish_with_a_case_type(api: Api, clock: ManualClock) -> None:
    ticket = called(api)
    api.act(1, ticket["id"], "start")
    clock.advance(timedelta(minutes=7))
    done = api.act(1, ticket["id"], "finish", {"case_type": "immediate"}).json()
    assert done["state"] == "finished"
    assert done["case_type"] == "immediate"
    assert done["deadline"] is None


def test_a_promised_case_gets_a_deadline_in_working_days(api: Api) -> None:
    ticket = called(api, window=2, service="TAX")  # TAX promises 3 working days
    api.act(2, ticket["id"], "start")
    done = api.act(2, ticket["id"], "finish", {"case_type": "promised"}).json()
    assert done["deadline"] == "2026-11-30"  # Wed 25 Nov + 3 working days (skips weekend)


def test_a_promised_deadline_must_be_at_least_one_working_day_ahead(api: Api) -> None:
    ticket = called(api)
    api.act(1, ticket["id"], "start")
    response = api.act(
        1, ticket["id"], "finish", {"case_type": "promised", "deadline": "2026-11-25"}
    )
    assert response.status_code == 422
    assert "at least one working day" in response.json()["message"]


def test_an_unknown_case_type_is_refused(api: Api) -> None:
    ticket = called(api)
    api.act(1, ticket["id"], "start")
    response = api.act(1, ticket["id"], "finish", {"case_type": "easy"})
    assert response.status_code == 422
    assert "case_type" in response.json()["message"]


def test_hold_frees_the_window_and_return_resumes_serving(api: Api, clock: ManualClock) -> None:
    ticket = called(api)
    api.act(1, ticket["id"], "start")
    assert api.act(1, ticket["id"], "hold", {"note": "fetching a copy"}).json()["state"] == (
        "on_hold"
    )
    other = called(api)
    assert api.act(1, ticket["id"], "return").status_code == 409, "window busy with another"
    api.act(1, other["id"], "start")
    api.act(1, other["id"], "finish", {"case_type": "immediate"})
    clock.advance(timedelta(minutes=3))
    assert api.act(1, ticket["id"], "return").json()["state"] == "serving"


def test_transfer_keeps_the_number_and_issue_time(api: Api) -> None:
    ticket = called(api)
    leg = api.act(1, ticket["id"], "transfer", {"service": "TAX", "note": "needs tax form"})
    assert leg.status_code == 201
    body = leg.json()
    assert body["number"] == ticket["number"]
    assert body["service"] == "TAX"
    assert body["state"] == "waiting"
    assert body["issued_at"] == ticket["issued_at"]
    assert body["transferred_from"] == ticket["id"]
    assert api.call_next(2).json()["id"] == body["id"]


def test_transfer_to_a_window_is_called_only_there(api: Api) -> None:
    ticket = called(api)
    leg = api.act(1, ticket["id"], "transfer", {"window": 3, "note": "senior colleague"}).json()
    assert api.call_next(1).status_code == 204
    assert api.call_next(3).json()["id"] == leg["id"]


def test_transfer_needs_a_note_and_a_real_target(api: Api) -> None:
    ticket = called(api)
    assert api.act(1, ticket["id"], "transfer", {"service": "TAX"}).status_code == 422
    response = api.act(1, ticket["id"], "transfer", {"service": "SOC", "note": "x"})
    assert response.json()["error"] == "transfer_to_self"
    response = api.act(1, ticket["id"], "transfer", {"window": 2, "service": "RES", "note": "x"})
    assert response.json()["error"] == "not_served_here"


def test_a_clerk_cannot_act_on_another_windows_ticket(api: Api) -> None:
    ticket = called(api)
    response = api.act(3, ticket["id"], "start")
    assert response.json()["error"] == "not_at_this_window"
