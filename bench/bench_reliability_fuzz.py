"""The long version of tests/reliability/test_the_fuzzer_finds_no_server_error.py.

    .venv/bin/python -m bench.bench_reliability_fuzz --examples 100 [--postgres]

schemathesis over the whole OpenAPI document of a real server (SQLite, or a fresh schema in
HALLQ_TEST_POSTGRES_URL), every identity; prints requests per identity, statuses and every
failure (5xx, or an error without a JSON message) with a curl command that reproduces it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid

from sqlalchemy import create_engine, text

from queue_server.api.app import create_app
from tests.support.factories import make_services, small_hall
from tests.support.fuzzing import fuzz, identities
from tests.support.live_server import live_server


def database(postgres: bool, folder: str) -> str:
    if not postgres:
        return f"sqlite:///{folder}/hallq.sqlite3"
    base = os.environ["HALLQ_TEST_POSTGRES_URL"]
    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{base}?options=-csearch_path%3D{schema}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        services = make_services(database(args.postgres, folder), small_hall())
        who = identities(services)
        with live_server(create_app(services)) as server:
            started = time.monotonic()
            report = fuzz(server.url, who, examples=args.examples)
            seconds = time.monotonic() - started
    print(
        f"engine: {'PostgreSQL' if args.postgres else 'SQLite'}; operations "
        f"{report.operations}; examples per operation and mode {args.examples}"
    )
    print(f"requests {report.total} in {seconds:.0f} s; load average {os.getloadavg()}")
    print("per identity:", dict(sorted(report.requests.items())))
    print("statuses:", dict(sorted(report.statuses.items())))
    print(f"not generated (nothing to violate / generator limits): {len(report.not_generated)}")
    print(f"failures: {len(report.failures)}")
    for key, example in report.failures.items():
        print(f"  {key}\n    {example}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
