"""The baseline: a bare FastAPI + uvicorn (one worker) endpoint doing one SQLAlchemy Core
INSERT + COMMIT through the engine hallq itself uses (queue_server.storage.engine).

Run: python -m bench.bare_app DATABASE_URL PORT
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from queue_server.storage.engine import make_engine

meta = MetaData()
rows = Table(
    "bench_bare_app_rows",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note", String(32)),
)


def bare_app(database_url: str) -> FastAPI:
    engine = make_engine(database_url)
    meta.create_all(engine)
    statement = insert(rows).values(note="x")
    app = FastAPI()

    @app.post("/bare", status_code=201)
    def bare_insert() -> dict[str, int]:
        with engine.begin() as conn:
            conn.execute(statement)
        return {"ok": 1}

    @app.get("/ready")
    def ready() -> dict[str, int]:
        return {"ok": 1}

    return app


if __name__ == "__main__":
    uvicorn.run(bare_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
