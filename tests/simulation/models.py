"""Small halls and models for the simulator's tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from queue_server.config.models import HallConfig
from queue_server.queueing.demand import (
    ClerkBehaviour,
    HallModel,
    HandlingModel,
    RatingModel,
    ServiceDemand,
)

# The small test hall (tests.support.factories.small_hall): SOC, TAX, RES on three windows.
VOLUMES = {"SOC": 40.0, "TAX": 20.0, "RES": 10.0}
HANDLING = {"SOC": 6.0, "TAX": 10.0, "RES": 15.0}


def small_model(
    volumes: Mapping[str, float] = VOLUMES,
    *,
    green_share: float = 0.1,
    clerks: ClerkBehaviour | None = None,
    ratings: RatingModel | None = None,
) -> HallModel:
    return HallModel(
        demand={
            code: ServiceDemand(
                code=code,
                daily_volume=volume,
                handling=HandlingModel(HANDLING[code]),
                green_share=green_share if code != "RES" else 0.0,
            )
            for code, volume in volumes.items()
        },
        clerks=clerks or ClerkBehaviour(),
        ratings=ratings,
    )


def working_days(config: HallConfig, first: date, count: int) -> list[date]:
    calendar = config.hall.calendar()
    days, day = [], first
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days
