"""The reports API: the month's measures as JSON, the bulletin files and CSV tables, and who
may read them."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook

from queue_server.api.app import create_app
from queue_server.domain.access import Role
from tests.reports.conftest import PlayedMonth
from tests.support.auth import staff_login
from tests.support.live_server import live_server


def test_the_api_returns_the_months_measures(played: PlayedMonth) -> None:
    supervisor = staff_login(played.services, Role.SUPERVISOR)
    clerk = staff_login(played.services, Role.CLERK)
    with (
        live_server(create_app(played.services)) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        base = "/api/v1/halls/test/reports"
        answer = http.get(f"{base}/months/2026-11", headers=supervisor.headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["month"] == "2026-11"
        assert body["totals"]["issued"] == 5
        assert body["totals"]["waiting"]["total_seconds"] == 3120
        assert body["totals"]["waiting"]["mean_seconds"] == 624
        soc = next(s for s in body["services"] if s["service"] == "SOC")
        assert soc["service_level"] == 1.0
        assert {i["kind"] for i in body["attendance"]} == {
            "late",
            "early_leave",
            "off_post",
            "unattended",
        }
        assert body["promised_cases"][0]["deadline"] == "2026-11-30"

        workbook = http.get(
            f"{base}/months/2026-11/bulletin", params={"format": "xlsx"}, headers=supervisor.headers
        )
        assert workbook.status_code == 200
        assert "bulletin-test-2026-11.xlsx" in workbook.headers["content-disposition"]
        book = load_workbook(io.BytesIO(workbook.content))
        assert book["summary"]["A1"].value == "测试大厅2026年11月运行情况通报"

        csv = http.get(f"{base}/months/2026-11/tables/windows.csv", headers=supervisor.headers)
        assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
        assert "一号窗口" in csv.content.decode("utf-8-sig")

        unknown = http.get(f"{base}/months/2026-11/tables/nothing", headers=supervisor.headers)
        assert unknown.status_code == 404 and "tables: services" in unknown.json()["message"]
        malformed = http.get(f"{base}/months/November", headers=supervisor.headers)
        assert malformed.status_code == 422 and malformed.json()["error"] == "invalid_month"

        # a clerk does not read the hall's measures
        assert http.get(f"{base}/months/2026-11", headers=clerk.headers).status_code == 403

        year = http.get(f"{base}/years/2026", headers=supervisor.headers)
        assert year.status_code == 200
        assert year.json()["totals"]["issued"] == 5
