"""The end-of-day forecast for the duty lead: will today's tickets all be served by closing?"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from queue_server.api.deps import ServicesDep
from queue_server.services.forecast import HallForecast

router = APIRouter(prefix="/api/v1", tags=["forecast"])


class PoolOut(BaseModel):
    services: list[str]
    windows: list[int]
    waiting: int
    expected_arrivals: float
    predicted_end: datetime | None
    probability_before_closing: float
    method: str


class AdviceOut(BaseModel):
    service: str
    extra_windows: int


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
            pools=[
                PoolOut(
                    services=list(p.services),
                    windows=list(p.windows),
                    waiting=p.waiting,
                    expected_arrivals=p.expected_arrivals,
                    predicted_end=p.predicted_end,
                    probability_before_closing=p.probability_before_closing,
                    method=p.method,
                )
                for p in f.pools
            ],
            advice=[AdviceOut(service=a.service, extra_windows=a.extra_windows) for a in f.advice],
            predicted_end_with_advice=f.predicted_end_with_advice,
            probability_with_advice=f.probability_with_advice,
        )


@router.get("/halls/{hall}/forecast", response_model=ForecastOut)
def hall_forecast(hall: str, services: ServicesDep) -> ForecastOut:
    """When the last ticket of today will be served, and which windows to open if too late."""
    # One forecaster for the application (the composition root's): its cache outlives
    # the request.
    return ForecastOut.of(services.forecast.forecast(hall))
