"""Only the issue cells of bench_queue_api, for A/B runs of two checkouts: the bare INSERT and
hallq's issue over HTTP at the given client counts, wrk in its own process, a day of 1,000
tickets already dealt with. `--postgres URL` drops and recreates that database first (give
it a scratch database, never one holding data).

    PATH=$PWD/.venv/bin:$PATH .venv/bin/python -m bench.bench_issue_cells [--clients 1,10,50]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/abbench] [--seconds 5]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile

from sqlalchemy.engine import make_url

from bench.bench_queue_api import fill_day, start_bare, start_server, tokens, wrk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    database = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    if args.postgres:
        url = make_url(args.postgres)
        recreate = f"DROP DATABASE IF EXISTS {url.database}", f"CREATE DATABASE {url.database}"
        host = ["-h", url.host or "127.0.0.1", "-U", url.username or "postgres"]
        for sql in recreate:
            subprocess.run(["psql", *host, "-q", "-d", "postgres", "-c", sql], check=True)
        database = args.postgres
    server, url_ = start_server(database)
    bare, bare_url = start_bare(database)
    try:
        kiosk, _ = tokens(database, 1)
        fill_day(database, 1000)
        env = {"HALLQ_KIOSK_TOKEN": kiosk["Authorization"].removeprefix("Bearer ")}
        for clients in (int(c) for c in args.clients.split(",")):
            base = wrk(bare_url, "bare.lua", clients, args.seconds, {}, server_pid=bare.pid)
            cell = wrk(url_, "issue.lua", clients, args.seconds, env, server_pid=server.pid)
            print(
                f"{clients} clients: bare {base.rate:,.0f}/s ({base.cpu} CPU a request), "
                f"issue {cell.rate:,.0f}/s p50 {cell.p50:.2f} ms ({cell.cpu} CPU a request), "
                f"ratio {cell.rate / base.rate:.2f}",
                flush=True,
            )
    finally:
        for proc in (server, bare):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
