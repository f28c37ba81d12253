"""Security review, finding 8 (low, docs/reliability.md): a disabled account stayed signed in to its
window (its name on the board, the window counted as staffed). Disabling signs it out of every
window."""

from __future__ import annotations

from queue_server.api.deps import Services
from queue_server.services.event_log import events_after
from tests.support.api import Api
from tests.support.auth import clerk_at


def test_a_disabled_account_leaves_its_window(services: Services, api: Api) -> None:
    clerk = clerk_at(services, 2, name="李强")
    window = next(w for w in api.snapshot()["windows"] if w["number"] == 2)
    assert window["clerk"] == {"name": "李强", "staff_no": clerk.staff_no}

    services.accounts.disable_user(clerk.staff_no)

    window = next(w for w in api.snapshot()["windows"] if w["number"] == 2)
    assert window["clerk"] is None
    with services.db.read() as session:
        last = events_after(session, "test", 0)[-1]
    assert (last.kind, last.window_no) == ("clerk.signed_out", 2)
    assert last.payload["reason"] == "account_disabled"
    assert api.http.get("/api/v1/auth/me", headers=clerk.headers).status_code == 401
