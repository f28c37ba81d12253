"""F1 whose answer is lost on the way back (the server called, the console never heard): the
console re-reads its window and shows the visitor the server really called, without a second
call and without the clerk pressing again."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.storage.tables import Event
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in
from tests.support.cut_proxy import CutProxy
from tests.support.live_server import LiveServer


def _calls(services: Services) -> list[str]:
    with services.db.read() as session:
        return [
            str(e.payload.get("number"))
            for e in session.scalars(select(Event).where(Event.kind == "ticket.called"))
        ]


async def test_a_call_whose_answer_is_lost_shows_the_visitor_called(
    server: LiveServer, services: Services
) -> None:
    staff_no = clerk(services)
    issue(services, "SOC", "SOC")
    proxy = CutProxy(server.port)
    try:
        async with running_console(proxy.url, 1) as (app, pilot):
            await signed_in(app, pilot, staff_no)
            proxy.lose_next_answer(b"/call-next")
            await press(app, pilot, "f1")
            assert proxy.lost == 1, "the answer to the call was dropped"
            assert app.current is not None and app.current["number"] == "A001"
            assert "Called A001" in message(app) and "answer was lost" in message(app), message(app)
            assert len(_calls(services)) == 1, "called once"
            assert [t["number"] for t in app.window.waiting] == ["A002"]
    finally:
        proxy.close()
