"""Telling the server about this kiosk's health, even when it is away for a while.

The latest printer state and any print faults wait here until the server has them; the
server records only what is news, so re-sending after an outage costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hallq_client import ApiError, HallqClient, ServerUnreachable
from printers import PrinterStatus

log = logging.getLogger("hallq.kiosk")
MAX_PENDING_FAULTS = 50


class DeviceReporter:
    def __init__(
        self,
        client: HallqClient,
        device: str | None,
        *,
        heartbeat_every: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.device = device
        self._heartbeat_every = heartbeat_every
        self._monotonic = monotonic
        self._printer: PrinterStatus | None = None
        self._sent_state: str | None = None
        self._sent_at: float | None = None
        self._faults: deque[dict[str, Any]] = deque(maxlen=MAX_PENDING_FAULTS)
        self._lock = asyncio.Lock()
        # The offline journal, when there is one: (tickets not reconciled, today's entries
        # the server refused, since when cut off).
        self.journal: Callable[[], tuple[int, int, datetime | None]] | None = None
        self._sent_journal: dict[str, Any] | None = None

    def printer_status(self, status: PrinterStatus) -> None:
        self._printer = status

    def fault(self, reason: str, *, ticket: str | None, status: PrinterStatus | None) -> None:
        body = self._body(status or self._printer)
        body["fault"] = reason[:300]
        if ticket:
            body["ticket"] = ticket
        self._faults.append(body)

    @property
    def pending(self) -> int:
        return len(self._faults) + (1 if self._status_due() else 0)

    async def flush(self) -> bool:
        """Send what is due; False when the server could not be reached (try again later).

        Nothing is sent before the kiosk knows its device name (from its token): the server
        would refuse a report in another device's name.
        """
        if self.device is None:
            return False
        async with self._lock:
            while self._faults:
                if not await self._send(self._faults[0]):
                    return False
                self._faults.popleft()
            if self._status_due():
                body = self._body(self._printer)
                if not await self._send(body):
                    return False
                self._sent_state = self._printer.state if self._printer else None
                self._sent_journal = body.get("offline")
                self._sent_at = self._monotonic()
            return True

    def _status_due(self) -> bool:
        if self._printer is None:
            return False  # the first printer poll follows at once; report with its answer
        if self._sent_at is None or self._printer.state != self._sent_state:
            return True
        if self._journal() != self._sent_journal:
            return True  # back from an outage, or its journal uploaded: the floor should know
        return self._monotonic() - self._sent_at >= self._heartbeat_every

    def _journal(self) -> dict[str, Any] | None:
        if self.journal is None:
            return None
        pending, refused, since = self.journal()
        return {
            "pending": pending,
            "refused": refused,
            "since": since.isoformat() if since else None,
        }

    def _body(self, status: PrinterStatus | None) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": "kiosk"}
        if status is not None:
            body["printer"] = {"state": status.state, "detail": status.detail[:300]}
        journal = self._journal()
        if journal is not None:
            body["offline"] = journal
        return body

    async def _send(self, body: dict[str, Any]) -> bool:
        try:
            assert self.device is not None
            await self._client.report_device_status(self.device, body)
        except ServerUnreachable:
            return False
        except ApiError as exc:
            if exc.status >= 500:
                return False
            log.error("the server refused a device report %s: %s", body, exc)
        return True
