"""The tests' live server stops in bounded time even when a request never ends: a graceful
stop, then a forced one that warns with every thread's stack, the open connections and the
coroutine each task of the server's loop is suspended in (the request that never ended).
Under faked dates a timed thread join never times out, so without this bound one stuck
shutdown held CI to its limit."""

from __future__ import annotations

import asyncio
import threading
import warnings

import httpx
import pytest
from fastapi import FastAPI

from tests.support.live_server import live_server
from tests.support.threads import joined


def _app_with_a_request_that_never_ends(entered: threading.Event) -> FastAPI:
    app = FastAPI()

    @app.get("/forever")
    async def forever() -> None:
        entered.set()
        await asyncio.Event().wait()

    return app


def test_it_forces_a_stuck_server_down_and_says_where_it_was_stuck() -> None:
    entered = threading.Event()
    answers: list[BaseException | httpx.Response] = []

    def ask(url: str) -> None:
        try:
            answers.append(httpx.get(f"{url}/forever", timeout=30))
        except httpx.HTTPError as cut:
            answers.append(cut)

    # The suspended coroutine itself is named ("in forever"), not only the client's line
    stuck_in = r"forced exit(?s:.*)open connections: \['H\w+Protocol'\](?s:.*) in forever\n"
    with pytest.warns(RuntimeWarning, match=stuck_in) as warned:
        with live_server(_app_with_a_request_that_never_ends(entered)) as server:
            client = threading.Thread(target=ask, args=(server.url,), daemon=True)
            client.start()
            assert entered.wait(10)
            server.stop(seconds=0.5)  # the context's own stop then finds it stopped
        assert joined(client, 10), "the client was left waiting on a stopped server"
    assert len(warned) == 1
    # uvicorn cancels the stuck request: the client hears a 500 or a cut, never silence
    (answer,) = answers
    assert isinstance(answer, httpx.HTTPError) or answer.status_code == 500


def test_a_worker_thread_that_never_returns_is_left_behind_with_a_warning() -> None:
    entered, release = threading.Event(), threading.Event()
    app = FastAPI()

    @app.get("/stuck-in-a-thread")
    async def stuck() -> None:
        entered.set()
        await asyncio.to_thread(release.wait)  # the loop's executor cannot shut down

    stuck_in = r"even forced; left running(?s:.*)shutdown_default_executor"
    with pytest.warns(RuntimeWarning, match=stuck_in) as warned, live_server(app) as server:
        client = threading.Thread(
            target=lambda: httpx.get(f"{server.url}/stuck-in-a-thread", timeout=30),
            daemon=True,
        )
        client.start()
        assert entered.wait(10)
        server.stop(seconds=0.5)
    assert len(warned) == 1
    release.set()
    assert joined(client, 10)


def test_a_server_with_nothing_in_flight_stops_without_a_warning() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with live_server(_app_with_a_request_that_never_ends(threading.Event())) as server:
            assert httpx.get(f"{server.url}/docs", timeout=10).status_code == 200
    assert not [w for w in seen if "forced exit" in str(w.message)]
