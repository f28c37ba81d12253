"""The public event stream shows who is at a window, not whether they came late."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_server.live.messages import event_body
from queue_server.storage.tables import Event


def test_attendance_is_left_out_of_the_public_stream() -> None:
    row = Event(
        hall_id="test",
        seq=7,
        kind="clerk.signed_in",
        at=datetime(2026, 11, 25, tzinfo=UTC),
        ticket_id=None,
        window_no=1,
        clerk_id="u1",
        device_id=None,
        payload={"name": "王芳", "staff_no": "1001", "attendance": "late", "minutes_late": 12},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    payload = event_body(row)["payload"]
    assert payload == {"name": "王芳", "staff_no": "1001"}
