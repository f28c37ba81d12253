"""What routes receive from the application: the services, never the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from queue_server.domain.clock import Clock
from queue_server.services.accounts import AccountService
from queue_server.services.bookings import BookingService
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry
from queue_server.services.id_card import IdCardService
from queue_server.services.tickets import QueueService


@dataclass
class Services:
    db: Database
    halls: HallRegistry
    clock: Clock
    queue: QueueService
    accounts: AccountService
    bookings: BookingService
    id_cards: IdCardService


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
