"""A bad-rating follow-up past its deadline reads "已逾期 N 个工作日 · overdue by N working
days" on the floor monitor, not "due soon, -N working days left"."""

from __future__ import annotations

from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from tests.floor.conftest import Floor, alert_on_page, floor_page, wait_until
from tests.floor.test_the_server_raises_alerts_by_itself import wait_for_rule
from tests.support.auth import bearer, clerk_at, device_token, staff_login
from tests.support.factories import local


def test_an_overdue_follow_up_reads_overdue(floor: Floor, clock: ManualClock) -> None:
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
    assert floor.api.post(at_window + "/rating", json=rating, headers=display).status_code == 201
    wait_for_rule(floor, "bad_rating")

    # Due Wednesday 2 December; on Friday the 4th it is two working days overdue.
    clock.set(local(2026, 12, 4, 10, 0))
    floor.api.headers.update(staff_login(services, Role.DUTY_LEAD).headers)
    due = wait_for_rule(floor, "follow_up_due")
    assert due["detail"]["working_days_left"] == -2

    with floor_page(floor) as page:
        wait_until(page, alert_on_page("follow_up_due"))
        text = page.evaluate(f"{alert_on_page('follow_up_due')}.textContent")
        assert "已逾期 2 个工作日" in text and "overdue by 2 working days" in text
        assert "-2" not in text
        heading = page.evaluate(
            "document.querySelector('#alerts li.kind[data-kind=\"follow_up_due\"] h3').textContent"
        )
        assert "已逾期" in heading and "overdue" in heading and "due soon" not in heading
