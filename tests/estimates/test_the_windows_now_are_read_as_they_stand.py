"""What the estimate with nobody ahead reads of the windows (and the forecast of the floor):
only open windows, each with its weights, the service it is busy with and since when, whether
it is paused and since when; and per window how many waiting tickets of other services it
would call first. Checked on a floor set up by hand, on both engines."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate import WindowState
from queue_server.services.estimates_now import window_states
from queue_server.services.event_log import SYSTEM
from queue_server.services.forecast import open_windows_now
from queue_server.services.issuing import IssueRequest
from queue_server.services.queries import open_capacity, open_windows, service_capacity
from tests.support.auth import clerk_at
from tests.support.factories import OPEN_MORNING, make_services, small_hall


def test_open_windows_and_what_each_calls_first(database_url: str) -> None:
    clock = ManualClock(OPEN_MORNING)
    services: Services = make_services(database_url, small_hall(), clock=clock)
    try:
        queue, hall = services.queue, services.halls.get("test")
        clerk_at(services, 1)  # window 1: SOC 3, TAX 1; window 2: TAX 3; window 3: RES 1, SOC 1
        queue.issue("test", IssueRequest("SOC"))
        called = queue.call_next("test", 1)
        assert called is not None and called.service == "SOC"
        clock.advance(timedelta(minutes=2))
        queue.pause("test", 2, "break", None)
        services.floor_actions.close_window("test", 3, "no staff", SYSTEM)
        for code in ("SOC", "SOC", "RES"):
            queue.issue("test", IssueRequest(code))
        mine = queue.issue("test", IssueRequest("TAX")).ticket
        clock.advance(timedelta(minutes=4))
        now = clock.now()

        with services.db.read() as session:
            windows = open_windows_now(session, "test", now)
            states = window_states(session, hall, "TAX", now, mine.id, windows)
            capacity = {
                code: open_capacity(open_windows(session, "test"), code)
                for code in ("SOC", "TAX", "RES")
            }
            # The small read an issued ticket with people ahead makes gives the same floats.
            alone = {code: service_capacity(session, "test", code) for code in capacity}
        assert [w.number for w in windows] == [1, 2]  # window 3 is closed
        one, two = windows
        assert (one.services, one.busy_service, one.busy_minutes) == (
            {"SOC": 3, "TAX": 1},
            "SOC",
            6.0,
        )
        assert one.paused_minutes is None
        assert (two.services, two.busy_service, two.paused_minutes) == ({"TAX": 3}, None, 4.0)
        # Window 1 weighs SOC above TAX: the two SOC tickets waiting go first; RES it does not
        # serve. Window 2 serves TAX alone, paused.
        # Open and not paused counts, by the share of the window's weights: window 1 alone
        # (window 2 is paused, window 3 closed).
        assert capacity == {"SOC": 3 / 4, "TAX": 1 / 4, "RES": 0}
        assert alone == capacity
        assert states == [
            WindowState(paused=False, busy_minutes=6.0, before=2),
            WindowState(paused=True, busy_minutes=None, before=0),
        ]
    finally:
        services.db.engine.dispose()
