"""B岗顶岗: the duty lead records who covers a window while its clerk is away; 30 minutes
to 2 hours, two different people of the hall."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from queue_server.domain.access import Role
from queue_server.storage.tables import Event
from tests.floor.conftest import Floor
from tests.support.auth import clerk_at, staff_login


def cover(floor: Floor, minutes: int, absent: str = "1001", backup: str = "1002") -> dict:  # type: ignore[type-arg]
    body = {
        "window": 1,
        "absent_staff_no": absent,
        "cover_staff_no": backup,
        "minutes": minutes,
        "reason": "去区里开会",
    }
    response = floor.api.post("/backup-covers", json=body)
    return {"status": response.status_code, **response.json()}


@pytest.fixture
def clerks(floor: Floor) -> None:
    clerk_at(floor.services, 1, staff_no="1001", name="王芳")
    staff_login(floor.services, Role.CLERK, staff_no="1002", name="李强")


@pytest.mark.usefixtures("clerks")
def test_a_cover_in_range_is_recorded_as_an_event(floor: Floor) -> None:
    done = cover(floor, 90)
    assert done["status"] == 201
    assert (done["absent_name"], done["cover_name"], done["window"]) == ("王芳", "李强", 1)
    listed = floor.api.get("/backup-covers").json()
    assert [c["id"] for c in listed] == [done["id"]]
    with floor.services.db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "window.backup_cover")).one()
    assert event.clerk_id == floor.lead.user_id and event.window_no == 1
    assert event.payload["minutes"] == 90
    assert "王芳" not in str(event.payload) and "李强" not in str(event.payload)


@pytest.mark.usefixtures("clerks")
@pytest.mark.parametrize("minutes", [29, 121])
def test_a_cover_out_of_range_is_refused(floor: Floor, minutes: int) -> None:
    refused = cover(floor, minutes)
    assert (refused["status"], refused["error"]) == (422, "cover_out_of_range")
    assert floor.api.get("/backup-covers").json() == []


@pytest.mark.usefixtures("clerks")
def test_a_cover_needs_two_known_people(floor: Floor) -> None:
    assert cover(floor, 60, backup="1001")["error"] == "same_clerk"
    unknown = cover(floor, 60, backup="9999")
    assert unknown["status"] == 404 and "9999" in unknown["message"]
