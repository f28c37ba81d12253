"""The server judges the floor on every event and on its tick, whether or not a tablet is
looking: a help request, a bad rating, a follow-up and a complaint near their deadline are
on the list
that `GET /alerts` reads (which judges nothing itself)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.assessment.complaints import Channel
from queue_server.domain.clock import ManualClock
from queue_server.services.complaints import ComplaintService, NewComplaint
from queue_server.services.event_log import Actor
from tests.floor.conftest import Floor
from tests.support.auth import bearer, clerk_at, device_token, staff_login
from tests.support.factories import local


def wait_for_rule(floor: Floor, rule: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = [a for a in floor.alerts() if a["rule"] == rule]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no {rule} alert; open: {floor.alerts()}"
        time.sleep(0.05)


def test_a_help_request_is_raised_without_a_tablet(floor: Floor) -> None:
    assert floor.kiosk.post("/help", json={"request_id": "r", "ticket": "A001"}).is_success
    alert = wait_for_rule(floor, "help_requested")
    assert alert["device"] == "kiosk-1"
    assert alert["detail"] == {"ticket": "A001"}
    assert (alert["title_zh"], alert["title_en"]) == ("群众求助", "Help requested")


def test_a_bad_rating_then_its_follow_up_near_the_deadline(
    floor: Floor, clock: ManualClock
) -> None:
    services = floor.services
    clerk = clerk_at(services, 1)
    display = bearer(device_token(services, DeviceKind.DISPLAY, window=1))
    ticket = floor.api.post("/tickets", json={"service": "SOC"}).json()
    at_window = f"/windows/1/tickets/{ticket['id']}"
    assert floor.api.post("/windows/1/call-next", headers=clerk.headers).is_success
    assert floor.api.post(at_window + "/start", headers=clerk.headers).is_success
    finish = {"case_type": "immediate"}
    assert floor.api.post(at_window + "/finish", json=finish, headers=clerk.headers).is_success
    rating = {"level": "dissatisfied", "reasons": ["long_wait"]}
    rated = floor.api.post(at_window + "/rating", json=rating, headers=display)
    assert rated.status_code == 201, rated.text

    bad = wait_for_rule(floor, "bad_rating")
    assert bad["window"] == 1
    assert bad["detail"] == {"level": "dissatisfied", "reasons": ["long_wait"]}
    assert [a for a in floor.alerts() if a["rule"] == "follow_up_due"] == []

    # The follow-up is due five working days later (Wednesday 2 December); on Tuesday the
    # 1st one working day is left, which is the hall's "near".
    clock.set(local(2026, 12, 1, 10, 0))
    floor.api.headers.update(staff_login(services, Role.DUTY_LEAD).headers)  # a new day's login
    due = wait_for_rule(floor, "follow_up_due")
    assert due["detail"] == {"deadline": "2026-12-02", "working_days_left": 1}
    assert due["window"] == 1


def test_time_alone_raises_a_wait_over_target(floor: Floor, clock: ManualClock) -> None:
    assert floor.api.post("/tickets", json={"service": "TAX"}).status_code == 201
    clock.advance(timedelta(minutes=45))
    alert = wait_for_rule(floor, "wait_over_target")
    assert alert["service"] == "TAX"
    assert alert["detail"]["longest_wait_minutes"] == 45


def test_a_complaint_near_its_deadline(floor: Floor) -> None:
    complaints = ComplaintService(floor.services.db, floor.services.halls, floor.services.clock)
    new = NewComplaint(
        channel=Channel.ON_SITE,
        content="窗口人员态度不好",
        complainant_name="张三",
        complainant_phone="13800001234",
        window=2,
        deadline=date(2026, 11, 26),  # the next working day
    )
    complaints.register("test", new, Actor(clerk=floor.lead.user_id))
    alert = wait_for_rule(floor, "complaint_due")
    assert alert["window"] == 2
    assert alert["detail"] == {"deadline": "2026-11-26", "working_days_left": 1}
    assert "张三" not in str(alert) and "1380000" not in str(alert)
