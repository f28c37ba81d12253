"""A fact dated in a month that was already closed never vanishes: it is a correction (更正) of
that month, listed for supervision with who recorded it, when and what it changes, and it
counts in the month it was recorded in, beside the parts. The closed month stays frozen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.domain.clock import ManualClock
from tests.assessment.late_records_support import desk
from tests.assessment.month_support import fresh_headers
from tests.support.factories import SMALL_HALL, local, make_services, small_hall
from tests.support.hallq_command import hallq
from tests.support.live_server import live_server


def test_late_entries_reversals_and_conclusions_count_in_the_month_recorded(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    at = desk(services, clock)
    case = at.promised_case(date(2026, 11, 23), date(2026, 11, 25))  # concluded on time 25 Nov
    with live_server(create_app(services)) as server:

        def http() -> httpx.Client:
            return httpx.Client(
                base_url=f"{server.url}/api/v1/halls/test/assessment",
                headers=fresh_headers(services, at.supervisor),
                timeout=30,
            )

        clock.set(local(2026, 11, 27, 10, 0))
        with http() as api:
            thanks = api.post(
                "/entries",
                json={"kind": "letter_of_thanks", "day": "2026-11-10",
                      "staff_no": at.clerk.staff_no, "reason": "感谢信"},
            )  # fmt: skip
            assert thanks.status_code == 201, thanks.text
            assert (thanks.json()["counts_in"], thanks.json()["correction_of"]) == (
                "2026-11",
                None,
            )

        clock.set(local(2026, 12, 1, 9, 0))
        with http() as api:
            closed = api.post("/months/2026-11/close")
            assert closed.status_code == 200, closed.text
            frozen = closed.json()
        clerk = next(s for s in frozen["result"]["staff"] if s["subject"] == at.clerk.staff_no)
        # the case is charged as still open: Thu 26, Fri 27, Mon 30 Nov
        assert clerk["parts"][3]["name"] == "results" and clerk["parts"][3]["deducted"] == 9

        clock.set(local(2026, 12, 2, 10, 0))
        with http() as api:
            quarrel = api.post(
                "/entries",
                json={"kind": "quarrel", "day": "2026-11-20", "staff_no": at.clerk.staff_no,
                      "window": 1, "reason": "与群众争吵"},
            )  # fmt: skip
            assert quarrel.status_code == 201, quarrel.text
            assert (quarrel.json()["counts_in"], quarrel.json()["correction_of"]) == (
                "2026-12",
                "2026-11",
            )
        assert at.conclude(case, date(2026, 11, 25), date(2026, 12, 2)).overdue_working_days == 0
        clock.set(local(2026, 12, 3, 10, 0))
        with http() as api:
            reversed_ = api.post(
                f"/entries/{thanks.json()['id']}/reverse", json={"reason": "记错了人"}
            )
            assert reversed_.status_code == 200, reversed_.text

            listed = api.get("/months/2026-11/corrections").json()
            got = sorted(
                (c["kind"], c["quantity"], c["counts_in"], c["recorded_by"])
                for c in listed["of_month"]
            )
            assert got == [
                ("letter_of_thanks", -1, "2026-12", at.supervisor.staff_no),
                ("overdue_case_day", -3, "2026-12", at.clerk.staff_no),
                ("quarrel", 1, "2026-12", at.supervisor.staff_no),
            ]
            assert all(c["what"] and c["recorded_at"] for c in listed["of_month"])
            assert listed["counted_here"] == []
            here = api.get("/months/2026-12/corrections").json()
            assert len(here["counted_here"]) == 3 and here["of_month"] == []

            # the closed month is frozen: byte for byte what was closed
            assert api.get("/months/2026-11").json() == frozen

            december = api.post("/months/2026-12/run").json()["result"]
        staff = next(s for s in december["staff"] if s["subject"] == at.clerk.staff_no)
        window = next(w for w in december["windows"] if w["subject"] == "1")
        # clerk: quarrel 德 -2, overdue days given back +3 × 3, thanks taken back -2
        assert sorted(x["points"] for x in staff["correction_lines"]) == [-2, -2, 9]
        assert staff["correction"] == 5
        base = sum(p["score"] for p in staff["parts"])
        assert staff["total"] == base + staff["bonus"] + 5
        # window: quarrel -5, overdue days given back +5 × 3 (the thanks named the clerk only)
        assert sorted(x["points"] for x in window["correction_lines"]) == [-5, 15]
        assert window["correction"] == 10
        assert all(x["text"].startswith("更正 2026-11") for x in window["correction_lines"])
        # the corrections stand beside the parts: no part lost points for them
        assert all(x["kind"] != "quarrel" for p in staff["parts"] for x in p["lines"])

        # December closes with them; January does not count them again
        clock.set(local(2027, 1, 5, 9, 0))
        with http() as api:
            assert api.post("/months/2026-12/close").status_code == 200
            january = api.post("/months/2027-01/run").json()["result"]
        assert all(not s["correction_lines"] for s in january["staff"] + january["windows"])

    # supervision sees them on the command line too
    config = tmp_path / "hall.toml"
    config.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), "utf-8")
    shown = hallq(
        "assess", "show", "2026-11", "--explain", "--database", database_url,
        "--config", str(config),
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "corrections of 2026-11 (recorded after it was closed):" in shown.stdout
    assert "2026-11-20 quarrel ×1" in shown.stdout and "counts in 2026-12" in shown.stdout
    assert "overdue_case_day ×-3" in shown.stdout and "<- event:" in shown.stdout
    services.db.engine.dispose()
