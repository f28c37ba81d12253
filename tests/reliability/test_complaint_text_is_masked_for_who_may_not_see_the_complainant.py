"""Security review, finding 2 (second half, docs/reliability.md): the complaint's own text showed a
phone number typed into it in full to the administrator and the duty lead, who see the complainant's
name and phone masked. The text is masked by the same function; the supervision office sees it
all."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from tests.support.auth import staff_login
from tests.support.live_server import LiveServer

CONTENT = "王小明投诉窗口态度，请回电 138-1234-5678 或 +86 139 8765 4321"


def test_complaint_text_is_masked_for_who_may_not_see_the_complainant(
    server: LiveServer, services: Services
) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    admin = staff_login(services, Role.ADMIN)
    supervisor = staff_login(services, Role.SUPERVISOR)
    base = f"{server.url}/api/v1/halls/test/complaints"
    with httpx.Client(timeout=30) as http:
        made = http.post(base, json={"channel": "phone", "content": CONTENT}, headers=lead.headers)
        assert made.status_code == 201, made.text
        one = f"{base}/{made.json()['id']}"
        masked = "王小明投诉窗口态度，请回电 138-****-5678 或 +86 139 **** 4321"
        assert made.json()["content"] == masked
        for who in (lead, admin):
            assert http.get(one, headers=who.headers).json()["content"] == masked
            listed = http.get(base, headers=who.headers).json()
            assert [c["content"] for c in listed] == [masked]
        assert http.get(one, headers=supervisor.headers).json()["content"] == CONTENT
