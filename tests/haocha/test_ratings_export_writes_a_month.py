"""`hallq ratings export --month` writes the month's records as JSON lines and CSV, the same
records the platform receives; `deliver` and `reconcile` do from the command line what the
server does by itself."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.follow_ups import FollowUpService
from tests.support.factories import SMALL_HALL
from tests.support.hallq_command import hallq
from tests.support.haocha import RatedVisits, lead_actor
from tests.support.haocha_receiver import SECRET, HaochaReceiver

NOVEMBER = {**os.environ, "HALLQ_CLOCK_START": "2026-11-27T10:00:00+08:00"}


def ratings(*args: str) -> subprocess.CompletedProcess[str]:
    return hallq("ratings", *args, env=NOVEMBER)


def test_export_deliver_and_reconcile_from_the_command_line(
    reporting: Services,
    visits: RatedVisits,
    receiver: HaochaReceiver,
    clock: ManualClock,
    sqlite_url: str,
    tmp_path: Path,
) -> None:
    visits.rate(Level.VERY_SATISFIED)
    visits.rate(Level.VERY_DISSATISFIED, phone="13700001234")
    follow_ups = FollowUpService(reporting.db, reporting.halls, clock)
    [follow_up] = follow_ups.list("test")
    follow_ups.record_fix("test", follow_up.id, "clerk retrained", lead_actor(reporting))
    reporting.db.engine.dispose()

    secret = tmp_path / "secret"
    secret.write_bytes(SECRET)
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")
        + f"""
[haocha]
enabled = true
endpoint = "{receiver.url}"
signature = "hmac-sha256"
secret_file = "{secret}"
[haocha.items]
SOC = {{ code = "S-1", department = "人社局" }}
TAX = {{ code = "T-1", department = "税务局" }}
RES = {{ code = "R-1", department = "不动产中心" }}
""",
        encoding="utf-8",
    )
    common = ["--database", sqlite_url, "--config", str(config)]
    out = tmp_path / "out"

    exported = ratings("export", "--month", "2026-11", "--out", str(out), *common)
    assert exported.returncode == 0, exported.stderr
    assert "test: 3 record(s)" in exported.stdout
    lines = (out / "haocha-test-2026-11.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["recordType"] for r in records] == ["1", "1", "3"]
    assert [r.get("alternate") for r in records] == ["5", "1", "1"]
    assert records[1]["mobile"] == "137****1234"
    assert records[2]["rectification"] == "clerk retrained"
    table = list(
        csv.DictReader(io.StringIO((out / "haocha-test-2026-11.csv").read_text("utf-8-sig")))
    )
    assert [row["recordId"] for row in table] == [r["recordId"] for r in records]
    assert table[0]["taskCode"] == "S-1" and table[0]["deptName"] == "人社局"

    october = ratings("export", "--month", "2026-10", "--out", str(out), *common)
    assert october.returncode == 0 and "test: 0 record(s)" in october.stdout
    assert ratings("export", "--month", "2026-13", *common).returncode == 2

    with receiver:
        delivered = ratings("deliver", *common)
    assert delivered.returncode == 0, delivered.stderr
    assert "3 好差评 record(s) delivered" in delivered.stdout
    assert sorted(receiver.received.records) == sorted(r["recordId"] for r in records)
    assert receiver.received.records == {r["recordId"]: r for r in records}

    reconciled = ratings("reconcile", "--day", "2026-11-25", "--out", str(out), *common)
    assert reconciled.returncode == 0, reconciled.stderr
    day = json.loads((out / "test-2026-11-25.json").read_text("utf-8"))
    assert (day["records"], day["ratings_per_level"]) == (3, {"1": 1, "5": 1})
