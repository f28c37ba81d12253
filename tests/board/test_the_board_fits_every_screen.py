"""The hall board holds up on every board screen of docs/devices.md, with the example hall
(12 services, 8 windows) and with a hall of 20 windows and 20 services, with and without a
duty-lead announcement, a stopped service and a closed window: no two parts overlap, all is
inside the screen, nothing is clipped, every text is at least its minimum size and readable
(contrast 4.5:1), and every window and every service is shown on some page.

One server per hall and one Chromium for the module; the screen size is changed in place."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from queue_server.api.app import create_app
from queue_server.config.loader import load_hall_config
from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from tests.board.conftest import wait_until
from tests.conftest import need
from tests.live.helpers import quick_settings
from tests.support.api import Api
from tests.support.auth import duty_lead_headers
from tests.support.board_halls import EXAMPLE, big_hall, busy_floor
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.factories import OPEN_MORNING, make_services
from tests.support.live_server import LiveServer, live_server
from tests.support.screens import (
    BOARD_ROLES,
    BOARD_SCREENS,
    Screen,
    board_min_font_px,
    contrast,
    inside,
    intersect,
    set_screen,
    texts,
)

PARTS = ["header.top", "#announcement", "section.windows", "aside.calls", "footer"]
NOTICE = "今天下午三点起系统维护，届时社保和医保业务暂停办理约半小时，请提前取号，谢谢配合。"


@dataclass
class Hall:
    config: HallConfig
    server: LiveServer
    api: Api

    @property
    def id(self) -> str:
        return self.config.hall.id

    @property
    def services(self) -> list[str]:
        return [s.code for s in self.config.services]

    @property
    def windows(self) -> list[int]:
        return [w.number for w in self.config.windows]


@pytest.fixture(scope="module")
def browser() -> Iterator[Page]:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page("about:blank", width=1920, height=1080) as page:
        yield page


@pytest.fixture(scope="module", params=["example", "20x20"])
def hall(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    migrated_sqlite_template: Path,
) -> Iterator[Hall]:
    config = load_hall_config(EXAMPLE) if request.param == "example" else big_hall()
    folder = tmp_path_factory.mktemp(f"board-{request.param}")
    database = folder / "hallq.sqlite3"
    database.write_bytes(migrated_sqlite_template.read_bytes())
    services = make_services(f"sqlite:///{database}", config, clock=ManualClock(OPEN_MORNING))
    app = create_app(services, quick_settings(voice_dir=folder))
    with live_server(app) as server:
        api = Api(
            server.url, hall=config.hall.id, headers=duty_lead_headers(services, config.hall.id)
        )
        busy_floor(api, config)
        yield Hall(config, server, api)
        api.http.close()
    services.db.engine.dispose()


def unusual_floor(api: Api, hall: Hall) -> None:
    """The duty lead's announcement, a service stopped, a window closed."""
    floor = f"/api/v1/halls/{hall.id}"
    made = api.http.post(f"{floor}/announcements", json={"text": NOTICE, "minutes": 120})
    assert made.status_code == 201, made.text
    stopped = api.http.post(f"{floor}/services/{hall.services[1]}/stop-issuing", json={})
    assert stopped.status_code == 200, stopped.text
    window = hall.windows[2]
    current = next(w for w in api.snapshot()["windows"] if w["number"] == window)["current"]
    assert api.act(window, current["id"], "no-show").status_code == 200
    closed = api.http.post(f"{floor}/windows/{window}/close", json={})
    assert closed.status_code == 200, closed.text


def problems_on(page: Page, screen: Screen, hall: Hall) -> list[str]:
    found: list[str] = []
    view = (0.0, 0.0, float(screen.width), float(screen.height))
    parts = {
        name: page.evaluate(
            f"(() => {{ const e = document.querySelector({name!r});"
            " if (!e || !e.getClientRects().length) return null;"
            " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()"
        )
        for name in PARTS
    }
    shown = {name: box for name, box in parts.items() if box is not None}
    for (a, box_a), (b, box_b) in itertools.combinations(shown.items(), 2):
        if intersect(box_a, box_b):
            found.append(f"{a} overlaps {b}: {box_a} / {box_b}")
    for name, box in shown.items():
        if not inside(box, view):
            found.append(f"{name} is outside the screen: {box}")
    for text in texts(page, BOARD_ROLES):
        where = f"{text.path} {text.text!r}"
        if not inside(text.box, view):
            found.append(f"{where} is outside the screen: {text.box}")
        container = next(
            (
                box
                for name, box in shown.items()
                if name != "header.top"
                and inside(text.box, box, 1e9)
                and _contains_path(name, text.path)
            ),
            None,
        )
        if container is not None and not inside(text.box, container):
            found.append(f"{where} spills out of its part: {text.box} / {container}")
        if text.clipped:
            found.append(f"{where} is clipped")
        minimum = board_min_font_px(screen, text.role)
        if text.font < minimum - 0.05:
            found.append(f"{where} is {text.font:.1f}px, below {minimum:.1f}px ({text.role})")
        ratio = contrast(text.fg, text.bg)
        if ratio < 4.5:
            found.append(f"{where} has contrast {ratio:.2f}:1")
    return found


def _contains_path(part: str, path: str) -> bool:
    keys = {
        "#announcement": "#announcement",
        "section.windows": "#windows",
        "aside.calls": "#calls",
        "footer": "#queues",
    }
    key = keys.get(part)
    return key is not None and (path == key or path.startswith(key + " "))


def every_page(page: Page, screen: Screen, hall: Hall) -> list[str]:
    """Turn every page and check each; all windows and services must have been shown."""
    found: list[str] = []
    counts = page.evaluate("window.hallqBoard.pageCounts()")
    seen_windows: set[int] = set()
    seen_services: set[str] = set()
    for i in range(max(counts["windows"], counts["queues"])):
        page.evaluate(f"window.hallqBoard.showPage({i})")
        found += problems_on(page, screen, hall)
        seen_windows |= set(
            page.evaluate(
                "[...document.querySelectorAll('#windows .window')]"
                ".filter(e => e.getClientRects().length).map(e => Number(e.dataset.window))"
            )
        )
        seen_services |= set(
            page.evaluate(
                "[...document.querySelectorAll('#queues .queue')]"
                ".filter(e => e.getClientRects().length).map(e => e.dataset.service)"
            )
        )
    if missing := set(hall.windows) - seen_windows:
        found.append(f"windows never shown: {sorted(missing)}")
    if missing_services := set(hall.services) - seen_services:
        found.append(f"services never shown: {sorted(missing_services)}")
    print(f"{hall.id} {screen.label}: {counts}")
    return [f"{screen.label}: {p}" for p in found]


def open_board(page: Page, hall: Hall) -> None:
    page.send("Page.navigate", {"url": f"{hall.server.url}/board/{hall.id}"})
    wait_until(page, "window.hallqBoard && window.hallqBoard.connected")
    wait_until(page, f"document.querySelectorAll('#queues .queue').length === {len(hall.services)}")
    # The hall's and the services' names come after the snapshot; they change the layout.
    wait_until(page, "document.getElementById('hall-en').textContent !== ''")
    wait_until(
        page,
        "[...document.querySelectorAll('#queues .queue .service .en')]"
        ".every(e => e.textContent !== '')",
    )
    wait_until(page, "document.fonts.status === 'loaded'")
    page.evaluate("window.hallqBoard.holdPages()")


def test_the_board_fits_every_screen_on_a_usual_day(browser: Page, hall: Hall) -> None:
    open_board(browser, hall)
    problems: list[str] = []
    for screen in BOARD_SCREENS:
        set_screen(browser, screen)
        problems += every_page(browser, screen, hall)
    assert not problems, "\n".join(problems)


def test_the_board_fits_every_screen_with_a_notice_a_stopped_service_and_a_closed_window(
    browser: Page, hall: Hall
) -> None:
    unusual_floor(hall.api, hall)
    open_board(browser, hall)
    wait_until(browser, "!document.getElementById('announcement').hidden")
    stopped = hall.services[1]
    wait_until(
        browser,
        f"document.querySelector('.queue[data-service=\"{stopped}\"]')"
        ".classList.contains('stopped')",
    )
    closed = hall.windows[2]
    wait_until(
        browser,
        f"document.querySelector('.window[data-window=\"{closed}\"]')"
        ".classList.contains('state-closed')",
    )
    problems: list[str] = []
    for screen in BOARD_SCREENS:
        set_screen(browser, screen)
        problems += every_page(browser, screen, hall)
        # The stopped service and the closed window are said in words on their page.
        problems += shown_in_words(browser, screen, stopped, closed)
    assert not problems, "\n".join(problems)


def shown_in_words(page: Page, screen: Screen, service: str, window: int) -> list[str]:
    found = []
    chip = page.evaluate(
        f"document.querySelector('.queue[data-service=\"{service}\"]').textContent"
    )
    if "停止取号" not in chip or "No more tickets" not in chip:
        found.append(f"{screen.label}: stopped service reads {chip!r}")
    tile = page.evaluate(f"document.querySelector('.window[data-window=\"{window}\"]').textContent")
    if "未开放" not in tile or "Closed" not in tile:
        found.append(f"{screen.label}: closed window reads {tile!r}")
    return found
