"""On the duty lead's tablet (1280x800) the floor monitor opens on the queues and windows;
alerts follow, grouped by kind with a count, a few of each kind shown, and a kind can be
acknowledged at once with one note."""

from __future__ import annotations

import json
import time

from queue_server.domain.access import DeviceKind
from tests.floor.conftest import Floor, floor_page, wait_until
from tests.support.auth import bearer, device_token

KIND = "document.querySelector('#alerts li.kind[data-kind=\"help_requested\"]')"
KIOSKS = 5


def ask_for_help(floor: Floor) -> None:
    """Five kiosks each ask for help: five open alerts of one kind."""
    for n in range(1, KIOSKS + 1):
        name = f"kiosk-h{n}"
        token = device_token(floor.services, DeviceKind.KIOSK, name=name)
        answer = floor.api.post(
            f"/devices/{name}/help", json={"request_id": f"h-{n}"}, headers=bearer(token)
        )
        assert answer.is_success, answer.text
    # The server's alert watch raises them on its next tick.
    deadline = time.monotonic() + 10
    while len([a for a in floor.alerts() if a["rule"] == "help_requested"]) < KIOSKS:
        assert time.monotonic() < deadline, floor.alerts()
        time.sleep(0.1)


def test_queues_and_windows_come_first_and_alerts_are_grouped(floor: Floor) -> None:
    ask_for_help(floor)
    with floor_page(floor) as page:
        page.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        wait_until(page, KIND)
        top = "((id) => document.getElementById(id).getBoundingClientRect().top)"
        services, windows, alerts = page.evaluate(
            f"[{top}('services'), {top}('windows'), {top}('alerts-panel')]"
        )
        assert services < 800 and windows < 800, (services, windows)
        assert services < alerts and windows < alerts
        wait_until(
            page,
            f"document.getElementById('alert-jump').textContent === '{len(floor.alerts())}'",
        )

        assert page.evaluate(f"{KIND}.querySelector('h3 .count').textContent") == "5"
        assert page.evaluate(f"{KIND}.querySelectorAll('li.alert').length") == 3
        more = page.evaluate(f"{KIND}.querySelector('button.more').textContent")
        assert "显示全部 5 条" in more and "Show all 5" in more
        page.evaluate(f"{KIND}.querySelector('button.more').click()")
        wait_until(page, f"{KIND}.querySelectorAll('li.alert').length === 5")

        note = "已逐一到取号机旁帮助"
        page.evaluate(f"{KIND}.querySelector('input[data-kind]').value = {json.dumps(note)}")
        page.evaluate(f"{KIND}.querySelector('.bulk button').click()")
        wait_until(page, f"{KIND} === null")
        assert "已确认 5 条" in page.evaluate("document.getElementById('toast').textContent")

    assert [a for a in floor.alerts() if a["rule"] == "help_requested"] == []
    done = [a for a in floor.alerts(everything=True) if a["rule"] == "help_requested"]
    assert len(done) == KIOSKS and {a["note"] for a in done} == {note}


def test_every_input_has_a_label(floor: Floor) -> None:
    with floor_page(floor) as page:
        unlabelled = page.evaluate(
            "[...document.querySelectorAll('#app input, #app select, #app textarea')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
            ".map(e => e.id || e.outerHTML.slice(0, 60))"
        )
        assert unlabelled == []
