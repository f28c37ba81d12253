"""The real hallq app plus one bare endpoint on the same stack, for benchmarks.

`POST /bench/bare` does one INSERT and COMMIT on the same database through the same engine,
FastAPI and uvicorn: the floor that a ticket request is compared with.
Run: python -m bench.queue_server_app DATABASE_URL PORT [--no-alert-watch]
(`--no-alert-watch`: the floor's alert watch does not run, for bench/bench_alert_watch.py)
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from queue_server.api.access import RULES
from queue_server.api.app import build_services, create_app
from queue_server.api.heap import settle_heap
from queue_server.config.models import HallConfig, Text, WindowConfig
from queue_server.demo import demo_hall_config
from queue_server.domain.access import PUBLIC

BENCH_WINDOWS = 20
UNCAPPED = ("HF", "BIZ", "TAX", "HUK", "ASK")


def bench_hall() -> HallConfig:
    """The demo hall with 20 windows, each serving every service without a daily cap."""
    demo = demo_hall_config()
    windows = [
        WindowConfig(
            number=n,
            name=Text(zh=f"{n}号窗口"),
            services={code: 1 for code in UNCAPPED}
            | {"SOC": 1, "MED": 1, "RES": 1, "VEH": 1, "CIV": 1, "DIS": 1, "PMT": 1},
        )
        for n in range(1, BENCH_WINDOWS + 1)
    ]
    return demo.model_copy(update={"windows": windows})


bare_meta = MetaData()
bare_rows = Table(
    "bench_bare_rows",
    bare_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note", String(32)),
)


def bench_app(database_url: str) -> FastAPI:
    services = build_services(database_url, [bench_hall()])
    bare_meta.create_all(services.db.engine)
    app = create_app(services)

    # The floor runs the same access check as every route (public: no token to look up).
    RULES.setdefault("bare_insert", PUBLIC)

    @app.post("/bench/bare", status_code=201)
    def bare_insert() -> dict[str, int]:
        with services.db.write() as work:
            work.session.execute(insert(bare_rows).values(note="x"))
        return {"ok": 1}

    return app


def without_alert_watch() -> None:
    from contextlib import asynccontextmanager

    from queue_server.services.alert_watch import AlertWatch

    @asynccontextmanager
    async def idle(_self: AlertWatch):  # type: ignore[no-untyped-def]
        yield

    AlertWatch.running = idle  # type: ignore[method-assign]


if __name__ == "__main__":
    if "--no-alert-watch" in sys.argv[3:]:
        without_alert_watch()
    app = bench_app(sys.argv[1])
    settle_heap()  # as `hallq serve` does (queue_server/api/main.py)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
