"""An alert leaves the tablet's list only when the duty lead acknowledges it with a note; the
acknowledgement is an event naming who did it, and the note is kept with the alert."""

from __future__ import annotations

import json

from sqlalchemy import select

from queue_server.storage.tables import Event
from tests.floor.conftest import Floor, alert_on_page, floor_page, wait_until

HELP = alert_on_page("help_requested")


def test_acknowledging_needs_a_note_and_records_who(floor: Floor) -> None:
    assert floor.kiosk.post("/help", json={"request_id": "h-9"}).is_success
    with floor_page(floor) as page:
        wait_until(page, HELP)
        button = f"{HELP}.querySelector('button')"
        page.evaluate(f"{button}.click()")
        # Without a note nothing is sent and the alert stays.
        wait_until(page, "!document.getElementById('toast').hidden")
        assert page.evaluate(HELP) is not None
        assert [a["rule"] for a in floor.alerts()].count("help_requested") == 1

        note = "已到取号机旁帮助老人取号"
        page.evaluate(f"{HELP}.querySelector('input').value = {json.dumps(note)}")
        page.evaluate(f"{button}.click()")
        wait_until(page, f"{HELP} === null")

    assert [a for a in floor.alerts() if a["rule"] == "help_requested"] == []
    [done] = [a for a in floor.alerts(everything=True) if a["rule"] == "help_requested"]
    assert done["note"] == note
    assert done["acknowledged_by"] == floor.lead.user_id
    with floor.services.db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "alert.acknowledged")).one()
    assert event.clerk_id == floor.lead.user_id
    assert event.payload == {"alert": done["id"], "rule": "help_requested"}
    assert note not in json.dumps(event.payload, ensure_ascii=False)
