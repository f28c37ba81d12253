"""A hall that reports 好差评 to a loopback receiver, and rated visits through the services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.config.haocha import HaochaItem, HaochaSection
from queue_server.config.models import HallConfig
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.haocha import Algorithm
from queue_server.domain.rating import Level
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import Actor
from queue_server.services.issuing import IssueRequest
from queue_server.services.ratings import RatingService
from tests.support.auth import clerk_at, staff_login
from tests.support.factories import small_hall
from tests.support.haocha_receiver import SECRET

ITEMS = {
    "SOC": HaochaItem(code="330102-SB-0001", department="区人力社保局"),
    "TAX": HaochaItem(code="330102-SW-0001", department="区税务局"),
    "RES": HaochaItem(code="330102-BDC-0001", department="区不动产登记中心"),
}


def reporting_hall(
    endpoint: str,
    directory: Path,
    *,
    signature: Algorithm = "hmac-sha256",
    deliver_every_seconds: float = 30,
) -> HallConfig:
    """The small test hall with `[haocha]` on, its secret in `directory`."""
    secret_file = directory / "haocha-secret"
    secret_file.write_bytes(SECRET + b"\n")
    section = HaochaSection(
        enabled=True,
        endpoint=endpoint,
        signature=signature,
        secret_file=str(secret_file),
        app_id="HALL-TEST-01",
        items=ITEMS,
        reconciliation_dir=str(directory / "reconciliation"),
        deliver_every_seconds=deliver_every_seconds,
    )
    return small_hall().model_copy(update={"haocha": section})


class RatedVisits:
    """Visits finished at window 1 and rated on its display, two minutes apart."""

    def __init__(self, services: Services, clock: ManualClock) -> None:
        self.services = services
        self.clock = clock
        self.clerk = clerk_at(services, 1, staff_no="C101")
        self.actor = Actor(clerk=self.clerk.user_id)
        self.ratings = RatingService(services.db, services.halls, clock)

    def rate(self, level: Level, *, service: str = "SOC", phone: str | None = None) -> str:
        queue = self.services.queue
        ticket = queue.issue("test", IssueRequest(service)).ticket.id
        self.clock.advance(timedelta(seconds=30))
        called = queue.call_next("test", 1, self.actor)
        assert called is not None and called.id == ticket
        queue.start("test", 1, ticket, self.actor)
        self.clock.advance(timedelta(minutes=1))
        queue.finish("test", 1, ticket, CaseType.IMMEDIATE, actor=self.actor)
        self.clock.advance(timedelta(seconds=20))
        reasons = ["attitude"] if level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED) else []
        receipt = self.ratings.rate("test", 1, ticket, level, reasons, "display-1", phone)
        self.clock.advance(timedelta(seconds=10))
        return receipt.rating


def lead_actor(services: Services) -> Actor:
    return Actor(clerk=staff_login(services, Role.DUTY_LEAD, staff_no="L201").user_id)
