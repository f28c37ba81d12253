"""A bookable test hall and visitors with valid ID numbers (shared with tests/kiosk)."""

from __future__ import annotations

from typing import Any

from queue_server.config.models import AppointmentsSection, HallConfig
from queue_server.domain.appointments import id_check_char
from tests.support.factories import small_hall


def booking_hall(
    hall_id: str = "test", *, soc: int = 2, tax: int = 1, **appointments: Any
) -> HallConfig:
    base = small_hall(hall_id)
    capacity = {"SOC": soc, "TAX": tax}
    services = [s.model_copy(update={"slot_capacity": capacity.get(s.code)}) for s in base.services]
    section = AppointmentsSection.model_validate(appointments)
    return base.model_copy(update={"services": services, "appointments": section})


def id_number(serial: int, born: str = "19900307", region: str = "110101") -> str:
    """A valid 18-character resident ID number (correct check character)."""
    first17 = f"{region}{born}{serial:03d}"
    return first17 + id_check_char(first17)


def person(serial: int = 1, **changes: str) -> dict[str, str]:
    data = {"name": "张三丰", "phone": f"138{serial:08d}", "id_number": id_number(serial)}
    data.update(changes)
    return data
