"""/metrics, scraped as Prometheus does, reports what happened in the hall: tickets issued,
calls and recalls, tickets waiting per service, waits of today's calls, printer faults that
devices reported, this worker's websocket clients and its event lag (none once a client has
received the latest event)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.devices import DeviceService, StatusReport
from queue_server.services.tickets import IssueRequest
from tests.support.live_server import LiveServer


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted((k, v) for k, v in sample.labels.items() if k != "worker"))): (
            sample.value
        )
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_metrics(server: LiveServer, services: Services, clock: ManualClock) -> None:
    for service in ("SOC", "SOC", "TAX", "SOC"):
        services.queue.issue("test", IssueRequest(service))
    clock.advance(timedelta(minutes=5))
    called = services.queue.call_next("test", 1)
    assert called is not None
    services.queue.recall("test", 1, called.id)
    devices = DeviceService(services.db, services.halls, clock)
    devices.report_status("test", "kiosk-1", StatusReport(printer="paper_out"))
    devices.report_status("test", "kiosk-1", StatusReport(printer="ok"))

    hall = (("hall", "test"),)
    async with websockets.connect(f"{server.ws_url}/api/v1/halls/test/events") as ws:
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), 10))
        metrics = await asyncio.to_thread(scrape, server.url)
        assert metrics[("hallq_websocket_clients", hall)] == 1
        assert metrics[("hallq_event_lag_events", hall)] == 0
        assert snapshot["seq"] > 0

    assert metrics[("hallq_tickets_issued_total", hall)] == 4
    assert metrics[("hallq_calls_total", (("hall", "test"), ("kind", "call")))] == 1
    assert metrics[("hallq_calls_total", (("hall", "test"), ("kind", "recall")))] == 1
    assert metrics[("hallq_printer_faults_total", hall)] == 1
    waiting = {
        s: metrics[("hallq_tickets_waiting", (("hall", "test"), ("service", s)))]
        for s in ("SOC", "TAX", "RES")
    }
    assert waiting == {"SOC": 2, "TAX": 1, "RES": 0}
    assert metrics[("hallq_called_today", hall)] == 1
    assert metrics[("hallq_wait_today_mean_seconds", hall)] == 300
    assert metrics[("hallq_oldest_wait_seconds", hall)] == 300
    assert ("process_cpu_seconds_total", ()) in metrics
