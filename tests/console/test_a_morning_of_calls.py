"""A clerk signs in before opening, then calls, serves and finishes visitors all morning with
the function keys; the screen follows and today's counts add up."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, text
from tests.support.factories import local
from tests.support.live_server import LiveServer


async def test_a_morning_of_calls(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 8, 50))
    staff_no = clerk(services)
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        assert "按时签到" in app.attendance
        assert "王芳" in text(app, "clerk")
        clock.set(local(2026, 11, 25, 9, 0))
        issue(services, "SOC", "SOC", "TAX", "RES")  # RES is not served at window 1
        await press(app, pilot, "f1")
        assert app.current is not None and app.current["number"] == "A001"
        assert "A001" in message(app)
        assert "A002" in text(app, "waiting") and "B001" in text(app, "waiting")
        assert "C001" not in text(app, "waiting")

        for number in ("A001", "A002", "B001"):
            if app.current is None:
                await press(app, pilot, "f1")
            assert app.current is not None and app.current["number"] == number
            await press(app, pilot, "f3")
            assert app.current["state"] == "serving"
            clock.advance(timedelta(minutes=6))
            await press(app, pilot, "f7")
            await press(app, pilot, "1")  # 即办件
            assert app.current is None, message(app)
            assert "已办结" in message(app)

        await press(app, pilot, "f1")
        assert "没有等候的号码" in message(app)
        assert app.today is not None
        assert app.today["finished"] == 3
        assert app.today["by_case_type"] == {"immediate": 3}
        assert app.today["average_handling_seconds"] == 360
        assert "办结 finished 3" in text(app, "counts")
