"""The complaints register through the real API: every step, who sees the complainant, and
that no personal data reaches the event log."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.storage.tables import Event
from tests.support.auth import clerk_at, staff_login
from tests.support.live_server import LiveServer

COMPLAINT = {
    "channel": "phone",
    "content": "窗口人员态度生硬，拒绝一次性告知所需材料",
    "complainant_name": "王小明",
    "complainant_phone": "13812345678",
    "complainant_address": "人民路1号",
    "window": 1,
}


def test_a_complaint_from_registration_to_revisit(server: LiveServer, services: Services) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    supervisor = staff_login(services, Role.SUPERVISOR)
    admin = staff_login(services, Role.ADMIN)
    clerk = clerk_at(services, 1)
    base = f"{server.url}/api/v1/halls/test/complaints"
    with httpx.Client(timeout=30) as http:
        registered = http.post(base, json=COMPLAINT, headers=lead.headers)
        assert registered.status_code == 201, registered.text
        body = registered.json()
        # The duty lead registered it on the floor but sees the identity masked at once.
        assert body["identity_visible"] is False
        assert body["complainant_name"] == "王*明"
        assert body["complainant_phone"] == "138****5678"
        assert body["complainant_address"] is None
        assert body["status"] == "received" and body["registered_by"] == lead.staff_no
        one = f"{base}/{body['id']}"

        full = http.get(one, headers=supervisor.headers).json()
        assert (full["complainant_name"], full["complainant_phone"]) == ("王小明", "13812345678")
        assert full["complainant_address"] == "人民路1号" and full["identity_visible"] is True
        masked = http.get(one, headers=admin.headers).json()
        assert masked["complainant_name"] == "王*明" and masked["complainant_address"] is None
        assert http.get(base, headers=clerk.headers).status_code == 403

        steps = [
            ("pass", {"staff_no": clerk.staff_no, "deadline": "2026-11-30"}, "with_window"),
            ("answer", {"answer": "已致电说明并补正告知"}, "answered"),
            ("close", {"upheld": True, "note": "录音核实属实"}, "closed"),
            ("revisit", {"note": "回访满意"}, "revisited"),
        ]
        for step, payload, status in steps:
            assert http.post(f"{one}/{step}", json=payload, headers=lead.headers).status_code == 403
            done = http.post(f"{one}/{step}", json=payload, headers=supervisor.headers)
            assert done.status_code == 200, done.text
            assert done.json()["status"] == status
        final = done.json()
        assert final["upheld"] is True and final["staff_no"] == clerk.staff_no
        assert final["decided_on"] == "2026-11-25"

        again = http.post(f"{one}/answer", json={"answer": "x"}, headers=supervisor.headers)
        assert again.status_code == 409
        assert "revisited cannot become answered" in again.json()["message"]

    with services.db.read() as session:
        events = list(session.scalars(select(Event).where(Event.kind.like("complaint.%"))))
    assert [e.kind for e in events] == [
        "complaint.registered",
        "complaint.passed",
        "complaint.answered",
        "complaint.closed",
        "complaint.revisited",
    ]
    logged = json.dumps([e.payload for e in events], ensure_ascii=False)
    for secret in ("王小明", "13812345678", "人民路", "态度生硬"):
        assert secret not in logged
    assert events[0].clerk_id == lead.user_id and events[-1].clerk_id == supervisor.user_id


def test_an_upheld_complaint_must_name_whom_it_concerns(
    server: LiveServer, services: Services
) -> None:
    supervisor = staff_login(services, Role.SUPERVISOR)
    base = f"{server.url}/api/v1/halls/test/complaints"
    with httpx.Client(timeout=30, headers=supervisor.headers) as http:
        anonymous = {"channel": "letter", "content": "大厅太冷"}
        one = f"{base}/{http.post(base, json=anonymous).json()['id']}"
        refused = http.post(f"{one}/pass", json={})
        assert refused.status_code == 422 and refused.json()["error"] == "window_required"
        assert http.post(f"{one}/pass", json={"window": 9}).status_code == 404
        assert http.post(f"{one}/pass", json={"window": 2}).json()["deadline"] == "2026-12-02"
