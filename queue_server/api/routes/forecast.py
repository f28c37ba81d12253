"""The end-of-day forecast for the duty lead: will today's tickets all be served by closing?"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import view_out
from queue_server.queueing.forecast import Advice, PoolForecast
from queue_server.services.forecast import HallForecast

router = APIRouter(prefix="/api/v1", tags=["forecast"])


# queueing/forecast.py PoolForecast as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class PoolOut(PoolForecast):
    pass


# queueing/forecast.py Advice as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class AdviceOut(Advice):
    pass


class ForecastOut(BaseModel):
    hall: str
    at: datetime
    open_today: bool
    closing: datetime | None = None
    predicted_end: datetime | None = None
    p90_end: datetime | None = None
    margin_minutes: float | None = None
    probability_before_closing: float | None = None
    before_closing: bool | None = None
    method: str | None = None
    expected_arrivals: float | None = None
    pools: list[PoolOut] = []
    advice: list[AdviceOut] = []
    predicted_end_with_advice: datetime | None = None
    probability_with_advice: float | None = None

    @classmethod
    def of(cls, result: HallForecast) -> ForecastOut:
        f = result.forecast
        if f is None:
            return cls(hall=result.hall, at=result.at, open_today=False)
        return cls(
            hall=result.hall,
            at=result.at,
            open_today=True,
            closing=f.closing,
            predicted_end=f.predicted_end,
            p90_end=f.p90_end,
            margin_minutes=None if f.margin_minutes is None else round(f.margin_minutes, 1),
            probability_before_closing=f.probability_before_closing,
            before_closing=f.before_closing,
            method=f.method,
            expected_arrivals=f.expected_arrivals,
            pools=[view_out(PoolOut, p) for p in f.pools],
            advice=[view_out(AdviceOut, a) for a in f.advice],
            predicted_end_with_advice=f.predicted_end_with_advice,
            probability_with_advice=f.probability_with_advice,
        )


@router.get("/halls/{hall}/forecast", response_model=ForecastOut)
def hall_forecast(hall: str, services: ServicesDep) -> ForecastOut:
    """When the last ticket of today will be served, and which windows to open if too late."""
    # One forecaster for the application (the composition root's): its cache outlives
    # the request.
    return ForecastOut.of(services.forecast.forecast(hall))
