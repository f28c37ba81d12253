"""Halls for the board's screen tests and screenshots: the example hall and a 20x20 hall,
with a floor that has something at every window."""

from __future__ import annotations

import itertools
from pathlib import Path

from queue_server.config.loader import parse_hall_config
from queue_server.config.models import HallConfig
from tests.support.api import Api

EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"


def big_hall() -> HallConfig:
    """20 windows and 20 services, two-letter prefixes and two-digit windows: the widest."""
    text = '[hall]\nid = "big"\nname = { zh = "二十窗口大厅", en = "Twenty-window hall" }\n'
    text += 'timezone = "Asia/Shanghai"\n'
    letters = [f"{a}{b}" for a, b in itertools.product("BCDFG", "ABCD")]
    for i, prefix in enumerate(letters, start=1):
        text += (
            f'\n[[services]]\ncode = "S{i:02d}"\nprefix = "{prefix}"\n'
            f'name = {{ zh = "第{i}项政务服务", en = "Government service number {i}" }}\n'
            f'[services.publics]\ncontent = {{ zh = "业务{i}" }}\ntime_limit_days = 1\n'
        )
    for n in range(1, 21):
        text += (
            f'\n[[windows]]\nnumber = {n}\nname = {{ zh = "综合受理{n}", en = "Window {n}" }}\n'
            f"services = {{ S{n:02d} = 2, S{(n % 20) + 1:02d} = 1 }}\n"
        )
    return parse_hall_config(text, "<20x20 hall>")


def busy_floor(api: Api, config: HallConfig) -> None:
    """Numbers waiting for every service, most windows calling or serving, one paused."""
    for service in config.services:
        for _ in range(3):
            api.ticket(service.code)
    last = config.windows[-1].number
    for window in config.windows[:-1]:
        called = api.call_next(window.number)
        assert called.status_code == 200, called.text
        if window.number % 2 == 0:
            started = api.act(window.number, called.json()["id"], "start")
            assert started.status_code == 200, started.text
    paused = api.window(last, "pause", {"reason": "meeting"})
    assert paused.status_code == 200, paused.text
