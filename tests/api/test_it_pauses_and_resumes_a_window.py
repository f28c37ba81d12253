"""A paused window calls nobody until it resumes; the reason is shown in the snapshot."""

from __future__ import annotations

from tests.support.api import Api


def test_a_paused_window_does_not_call(api: Api) -> None:
    api.ticket()
    assert api.window(1, "pause", {"reason": "meeting", "note": "weekly"}).status_code == 200
    response = api.call_next(1)
    assert response.status_code == 409
    assert "paused (meeting)" in response.json()["message"]
    window = next(w for w in api.snapshot()["windows"] if w["number"] == 1)
    assert (window["state"], window["pause_reason"]) == ("paused", "meeting")
    assert api.window(1, "resume").status_code == 200
    assert api.call_next(1).status_code == 200


def test_a_window_serving_a_visitor_cannot_pause(api: Api) -> None:
    api.ticket()
    api.call_next(1)
    response = api.window(1, "pause", {"reason": "break"})
    assert response.status_code == 409


def test_pause_needs_a_known_reason(api: Api) -> None:
    response = api.window(1, "pause", {"reason": "nap"})
    assert response.status_code == 422
    assert "reason" in response.json()["message"]


def test_resume_of_a_window_that_is_not_paused_is_refused(api: Api) -> None:
    assert api.window(1, "resume").json()["error"] == "not_paused"
