"""值班日志: entries through the day, and a handover note the next duty lead sees when the
floor monitor opens; the text stays out of the event log."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.domain.access import Role
from queue_server.storage.tables import Event
from tests.floor.conftest import Floor, floor_page, wait_until
from tests.support.auth import staff_login

NOTE = "2号取号机打印纸已换新卷；3号窗口下午由王芳顶岗"


def test_entries_and_the_handover_note(floor: Floor) -> None:
    entry = floor.api.post("/duty-log", json={"text": "09:10 巡查大厅，秩序正常"})
    assert entry.status_code == 201, entry.text
    handover = floor.api.post("/duty-log", json={"kind": "handover", "text": NOTE})
    assert handover.json()["kind"] == "handover"
    day = floor.api.get("/duty-log").json()
    assert [(e["kind"], e["author_staff_no"]) for e in day] == [
        ("entry", "2001"),
        ("handover", "2001"),
    ]
    # The author does not get their own note back; the next duty lead does.
    assert floor.api.get("/duty-log/handover").json() is None
    staff_login(floor.services, Role.DUTY_LEAD, staff_no="2002", name="钱进")
    with floor_page(floor, staff_no="2002") as page:
        wait_until(page, "!document.getElementById('handover').hidden")
        shown = page.evaluate("document.getElementById('handover').textContent")
        assert NOTE in shown and "赵敏" in shown
        # The log loads after the floor itself (with the forecast and the charts).
        log = "document.getElementById('duty-log').textContent"
        wait_until(page, f"{log}.includes('09:10 巡查大厅')")
        page.evaluate("document.getElementById('handover-read').click()")
        wait_until(page, "document.getElementById('handover').hidden")

    with floor.services.db.read() as session:
        written = session.scalars(select(Event).where(Event.kind == "duty_log.written")).all()
    assert [e.payload["kind"] for e in written] == ["entry", "handover"]
    assert all(e.clerk_id == floor.lead.user_id for e in written)
    assert all("text" not in e.payload for e in written)


def test_an_empty_entry_is_refused(floor: Floor) -> None:
    refused = floor.api.post("/duty-log", json={"text": "   "})
    assert refused.status_code == 422 and refused.json()["error"] == "empty_entry"
