"""F11 办结: the clerk concludes a promised case (承诺件) finished at the window earlier. The
dialog lists the window's open ones, nearest deadline first, overdue ones standing out; the
pick is confirmed, the server records `case.concluded` with the day, and the case leaves the
list."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from textual.widgets import ListItem, ListView

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event, User
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.auth import staff_login
from tests.support.factories import local
from tests.support.live_server import LiveServer
from window_display.console_dialogs import ConcludeDialog, FinishDialog


def finished_as_promised(server: LiveServer, services: Services, deadline: str) -> str:
    """The duty lead, covering window 1, finishes a SOC visit as a promised case."""
    lead = staff_login(services, Role.DUTY_LEAD)
    base = f"{server.url}/api/v1/halls/test"
    with httpx.Client(base_url=base, headers=lead.headers, timeout=30) as http:
        ticket = http.post("/tickets", json={"service": "SOC"}).json()
        http.post("/windows/1/call-next")
        http.post(f"/windows/1/tickets/{ticket['id']}/start")
        body = {"case_type": "promised", "deadline": deadline}
        done = http.post(f"/windows/1/tickets/{ticket['id']}/finish", json=body)
        assert done.status_code == 200, done.text
    return str(ticket["id"])


def lines(dialog: ConcludeDialog) -> list[tuple[str, bool]]:
    return [
        (str(item.query_one("Label").render()), item.has_class("overdue"))
        for item in dialog.query_one("#cases", ListView).query(ListItem)
    ]


async def test_it_concludes_a_promised_case(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    old = finished_as_promised(server, services, "2026-11-26")  # on Wed 25 Nov
    clock.set(local(2026, 11, 30, 10, 0))  # Monday: 26 Thu, 27 Fri, 30 Mon
    staff_no = clerk(services)
    issue(services, "TAX")  # TAX promises 3 working days: Thu 3 Dec
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f1", "f3", "f7")
        await until(pilot, lambda: isinstance(app.screen, FinishDialog), "the finish dialog")
        await press(app, pilot, "2", "enter")
        assert "办结期限 2026-12-03" in message(app)

        await press(app, pilot, "f11")
        await until(pilot, lambda: isinstance(app.screen, ConcludeDialog), "the 办结 dialog")
        dialog = app.screen
        assert isinstance(dialog, ConcludeDialog)
        [(overdue, overdue_marked), (fresh, fresh_marked)] = lines(dialog)
        assert overdue.startswith("A001") and "期限 2026-11-26" in overdue
        assert "逾期 2 个工作日" in overdue and overdue_marked, "overdue: in the warning colour"
        assert fresh.startswith("B001") and "期限 2026-12-03" in fresh
        assert "剩 3 个工作日" in fresh and not fresh_marked

        await press(app, pilot, "down", "enter")  # pick B001: asked to confirm
        assert app.screen is dialog
        assert "确认办结 B001" in str(dialog.query_one("#confirm").render())
        await press(app, pilot, "enter")
        await until(pilot, lambda: app.screen is not dialog, "the dialog to close")
        await until(pilot, lambda: not app.busy, "the move")
        assert "B001 承诺件已办结 2026-11-30" in message(app), message(app)
        assert "未逾期" in message(app)

        with services.db.read() as session:
            [event] = session.scalars(select(Event).where(Event.kind == "case.concluded"))
            assert event.payload == {"concluded_on": "2026-11-30"}, "today, the hall's day"
            assert event.window_no == 1 and event.ticket_id != old
            clerk_id = session.scalar(select(User.id).where(User.staff_no == staff_no))
            assert event.clerk_id == clerk_id, "recorded as the clerk's act"

        await press(app, pilot, "f11")
        await until(pilot, lambda: isinstance(app.screen, ConcludeDialog), "the 办结 dialog")
        assert isinstance(app.screen, ConcludeDialog)
        [(left, _)] = lines(app.screen)
        assert left.startswith("A001"), "B001 left the list; the overdue one is still open"
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, ConcludeDialog)
        assert [c["ticket_id"] for c in await app.client.open_promised_cases(1)] == [old]
