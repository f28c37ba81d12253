"""Reasons go with the three lower levels only, from the published list; a phone number
is taken only with a bad rating, for its follow-up."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.rating.helpers import Window
from tests.support.live_server import LiveServer


def test_the_options_are_published(server: LiveServer) -> None:
    options = httpx.get(f"{server.url}/api/v1/rating/options").json()
    assert [level["text"]["zh"] for level in options["levels"]] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意",
    ]  # fmt: skip
    assert [level["bad"] for level in options["levels"]] == [False, False, False, True, True]
    assert options["reasons"]["long_wait"] == {"zh": "等候时间长", "en": "Long wait"}


def test_reasons_fit_the_level(server: LiveServer, services: Services) -> None:
    window = Window(server.url, services)
    ticket = window.finish()
    with_reason = window.rate(ticket["id"], "very_satisfied", reasons=["long_wait"])
    assert with_reason.json()["error"] == "invalid_reason"
    unknown = window.rate(ticket["id"], "dissatisfied", reasons=["too_cold"])
    assert "unknown rating reasons ['too_cold']" in unknown.json()["message"]
    phone = window.rate(ticket["id"], "satisfied", phone="13800000000")
    assert phone.json()["error"] == "invalid_request"
    ok = window.rate(ticket["id"], "basically_satisfied", reasons=["slow", "long_wait"])
    assert ok.status_code == 201
    assert ok.json() == {"recorded": True, "follow_up": False, "follow_up_deadline": None}
