"""Who may use the floor monitor: the duty lead reads and acts; supervision reads only (the
page hides the actions); clerks, devices and the anonymous get nothing but the page itself."""

from __future__ import annotations

import json

import httpx

from queue_server.domain.access import DeviceKind, Role
from tests.conftest import need
from tests.floor.conftest import Floor, floor_page, wait_until
from tests.support.auth import PASSWORD, bearer, clerk_at, device_token, staff_login
from tests.support.browser import chromium_page, chromium_path

READS = ["/floor", "/floor/charts", "/alerts", "/duty-log", "/duty-log/handover", "/backup-covers"]
ACTS = [
    ("PUT", "/windows/1/services", {"services": {"SOC": 1}}),
    ("POST", "/windows/1/close", {}),
    ("POST", "/services/SOC/stop-issuing", {}),
    ("POST", "/announcements", {"text": "hello"}),
    ("POST", "/duty-log", {"text": "entry"}),
    ("POST", "/alerts/x/acknowledge", {"note": "n"}),
    ("POST", "/backup-covers", {"window": 1, "absent_staff_no": "a", "cover_staff_no": "b",
                                "minutes": 60}),
]  # fmt: skip


def statuses(floor: Floor, headers: dict[str, str]) -> tuple[set[int], set[int]]:
    with httpx.Client(base_url=str(floor.api.base_url), headers=headers) as http:
        reads = {http.get(path).status_code for path in READS}
        acts = {http.request(m, path, json=body).status_code for m, path, body in ACTS}
    return reads, acts


def test_supervision_reads_but_does_not_act(floor: Floor) -> None:
    supervisor = staff_login(floor.services, Role.SUPERVISOR)
    reads, acts = statuses(floor, supervisor.headers)
    assert reads == {200} and acts == {403}


def test_clerks_devices_and_strangers_are_refused(floor: Floor) -> None:
    clerk = clerk_at(floor.services, 2)
    kiosk = bearer(device_token(floor.services, DeviceKind.KIOSK, name="kiosk-9"))
    for headers, status in ((clerk.headers, 403), (kiosk, 403), ({}, 401)):
        reads, acts = statuses(floor, headers)
        assert reads == {status} and acts == {status}, headers


def test_the_duty_lead_may_do_everything(floor: Floor) -> None:
    reads, acts = statuses(floor, floor.lead.headers)
    assert reads == {200}
    assert not acts & {401, 403}


def test_the_page_is_read_only_for_supervision(floor: Floor) -> None:
    staff_login(floor.services, Role.SUPERVISOR, staff_no="3001", name="孙督查")
    floor.kiosk.post("/help", json={"request_id": "s"})
    with floor_page(floor, staff_no="3001") as page:
        wait_until(page, "document.querySelector('#alerts li[data-rule=\"help_requested\"]')")
        assert page.evaluate("document.body.classList.contains('read-only')")
        assert not page.evaluate("document.getElementById('readonly').hidden")
        visible = page.evaluate(
            "[...document.querySelectorAll('.act, .actions-only')]"
            ".filter(n => n.offsetParent !== null).length"
        )
        assert visible == 0


def test_a_clerk_cannot_open_the_page(floor: Floor) -> None:
    clerk_at(floor.services, 3, staff_no="1005")
    need(chromium_path() is not None, "Chromium is not installed")
    with chromium_page(f"{floor.server.url}/floor/test", width=1280, height=900) as page:
        wait_until(page, "!document.getElementById('login').hidden")
        password = json.dumps(PASSWORD)
        page.evaluate(
            "document.getElementById('login-staff').value = '1005';"
            f"document.getElementById('login-password').value = {password};"
            "document.getElementById('login-form').requestSubmit();"
        )
        wait_until(page, "document.getElementById('login-error').textContent.includes('值班长')")
        assert page.evaluate("document.getElementById('app').hidden")
        assert page.evaluate("sessionStorage.length") == 0
