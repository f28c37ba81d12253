"""The duty lead's floor monitor: its page, what it shows, its alerts and its actions."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Request as HttpRequest
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep, PrincipalDep
from queue_server.api.deps import ServicesDep
from queue_server.api.params import Day, WindowNo
from queue_server.api.schemas import Request, view_out
from queue_server.domain.access import Staff
from queue_server.services.alerts import AlertService, AlertView
from queue_server.services.duty_log import DutyLog, EntryKind, EntryView
from queue_server.services.errors import NotFound
from queue_server.services.estimate_outcomes import EstimateQualityToday
from queue_server.services.floor_actions import Announcement, CoverView, FloorActions
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.floor_view import Charts, read_charts, read_floor
from queue_server.services.haocha import reporting_status

router = APIRouter(tags=["floor"])

FLOOR_DIR = Path(__file__).resolve().parents[2] / "web" / "floor"
_ASSET = re.compile(r"[a-z0-9_-]+\.(?:js|css|svg)")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
_NO_CACHE = {"Cache-Control": "no-cache"}

HALL = "/api/v1/halls/{hall}"
Note = Annotated[str, Field(min_length=1, max_length=500)]
Reason = Annotated[str, Field(min_length=1, max_length=200)]


# ----- the page -----------------------------------------------------------------------------


@router.get("/floor/{hall}", include_in_schema=False)
def floor_page(hall: str, services: ServicesDep) -> FileResponse:
    services.halls.get(hall)
    return FileResponse(FLOOR_DIR / "index.html", media_type="text/html", headers=_NO_CACHE)


@router.get("/floor/assets/{name}", include_in_schema=False)
def floor_asset(name: str) -> FileResponse:
    path = FLOOR_DIR / name
    if not _ASSET.fullmatch(name) or not path.is_file():
        raise NotFound(f"no floor monitor asset {name!r}")
    return FileResponse(path, media_type=_TYPES.get(path.suffix), headers=_NO_CACHE)


# ----- dependencies -------------------------------------------------------------------------


async def get_alerts(services: ServicesDep) -> AlertService:
    return services.alerts


async def get_actions(services: ServicesDep) -> FloorActions:
    return services.floor_actions


async def get_duty_log(services: ServicesDep) -> DutyLog:
    return services.duty_log


AlertsDep = Annotated[AlertService, Depends(get_alerts)]
ActionsDep = Annotated[FloorActions, Depends(get_actions)]
DutyLogDep = Annotated[DutyLog, Depends(get_duty_log)]


# ----- shapes (alerts, duty-log entries, announcements and covers are the services'
# dataclasses themselves) ---------------------------------------------------------------------


class FloorOut(BaseModel):
    hall: str
    timezone: str
    at: datetime
    business_day: date
    hall_state: str
    in_hours: bool
    provisional_calendar_years: list[int] = Field(
        description="years whose national holiday arrangement is not known yet: only the "
        "statutory days are closed (docs/calendar.md)"
    )
    services: list[dict[str, Any]]
    windows: list[dict[str, Any]]
    devices: list[dict[str, Any]]
    alerts: list[AlertView] = Field(description="every alert nobody acknowledged yet")
    announcement: Announcement | None
    covers: list[CoverView]
    handover: EntryView | None = Field(description="the last handover note left by another lead")
    haocha: HaochaOut
    estimates: list[EstimateQualityOut] = Field(
        description="accuracy of today's wait estimates per service (recomputed once a minute)"
    )
    offline_kiosks: list[OfflineKioskOut] = Field(
        default_factory=list,
        description="kiosks cut off now (judged from their silence), or back with tickets "
        "issued offline that are not reconciled yet or that the server refused today",
    )


class OfflineKioskOut(BaseModel):
    """A kiosk issuing (or that issued) from its leased numbers while cut off."""

    device: str
    since: datetime | None = Field(description="when it lost the server, or its last contact")
    pending: int | None = Field(
        description="tickets it holds unreconciled, as it reported (null: unknown while silent)"
    )
    leased_unreconciled: int = Field(
        description="the most it can hold: numbers leased to it today not reconciled yet"
    )
    silent: bool = Field(description="true: no contact now; false: back, upload pending")
    refused: int = Field(
        description="today's entries the server refused, as it last reported: their visitors "
        "hold a receipt the server does not know, to be served by hand"
    )


class HaochaOut(BaseModel):
    """好差评 reporting to the provincial platform (docs/ratings.md)."""

    enabled: bool
    records_today: int = Field(description="records of today's ratings and follow-up steps")
    reported_today: int = Field(description="records the platform accepted today")
    pending: int = Field(description="not accepted yet, including those not collected yet")
    oldest_pending: datetime | None
    last_error: str | None
    problems: int = Field(description="records that cannot be sent as they are")


class EstimateQualityOut(BaseModel):
    """How the wait estimates given at issue today compare with the real waits."""

    service: str
    called: int = Field(description="visitors called today who were given an estimate")
    coverage: float | None = Field(description="share called inside the range they were given")
    median_error_minutes: float | None = Field(description="median |wait - range midpoint|")
    median_width_minutes: float | None


# services/floor_view.py Charts as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class ChartsOut(Charts):
    pass


class AcknowledgeIn(Request):
    note: Note


class ServicesIn(Request):
    services: dict[str, Annotated[int, Field(ge=1, le=100)]] = Field(
        description="service code -> weight (a higher weight is served first at this window)"
    )


class ServicesOut(BaseModel):
    window: int
    services: dict[str, int]


class ReasonIn(Request):
    """Closing a window, stopping issuing: why, optionally."""

    reason: Reason | None = None


class AnnounceIn(Request):
    text: Annotated[str, Field(min_length=1, max_length=200)]
    minutes: Annotated[int, Field(ge=1, le=600)] = 30


class CoverIn(Request):
    window: Annotated[int, Field(ge=1, le=999)]
    absent_staff_no: Annotated[str, Field(min_length=1, max_length=32)]
    cover_staff_no: Annotated[str, Field(min_length=1, max_length=32)]
    minutes: int = Field(description="30 to 120 by default ([floor] cover_min/max_minutes)")
    reason: Reason | None = None


class EntryIn(Request):
    kind: EntryKind = EntryKind.ENTRY
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class DoneOut(BaseModel):
    ok: bool = True


def estimate_quality(request: HttpRequest) -> EstimateQualityToday:
    quality: EstimateQualityToday = request.app.state.estimate_quality
    return quality


def _reader(principal: Any) -> str | None:
    return principal.user_id if isinstance(principal, Staff) else None


# ----- what the monitor shows ---------------------------------------------------------------


@router.get(HALL + "/floor", response_model=FloorOut)
def floor_state(
    hall: str,
    request: HttpRequest,
    services: ServicesDep,
    alerts: AlertsDep,
    actions: ActionsDep,
    duty_log: DutyLogDep,
    principal: PrincipalDep,
) -> FloorOut:
    """Queues, windows, devices and open alerts now (alerts are evaluated first)."""
    context = services.halls.get(hall)
    now = services.clock.now()
    ensure_floor_day(services.db, context.id, context.calendar.business_day(now))
    calibration = services.queue.calibrations.for_hall(context, now)
    with services.db.read() as session:
        floor = read_floor(session, context, now, calibration=calibration)
    alerts.judge(hall, floor)  # on the floor the page shows, read once
    announcement = actions.current_announcement(hall)
    handover = duty_log.handover_for(hall, _reader(principal))
    offline = services.leases.offline_kiosks(hall, floor.devices)
    return FloorOut(
        hall=floor.hall,
        timezone=context.config.hall.timezone,
        at=floor.at,
        business_day=floor.business_day,
        hall_state=floor.hall_state,
        in_hours=floor.in_hours,
        provisional_calendar_years=floor.provisional_calendar_years,
        services=[asdict(s) for s in floor.services],
        windows=[asdict(w) for w in floor.windows],
        devices=[asdict(d) for d in floor.devices],
        alerts=alerts.open_alerts(hall),
        announcement=announcement,
        covers=actions.covers_today(hall),
        handover=handover,
        haocha=HaochaOut(**asdict(reporting_status(services.db, context, now))),
        estimates=[
            EstimateQualityOut(
                service=q.service,
                called=q.called,
                coverage=q.coverage,
                median_error_minutes=q.median_error_minutes,
                median_width_minutes=q.median_width_minutes,
            )
            for q in estimate_quality(request).today(hall)
        ],
        offline_kiosks=[OfflineKioskOut(**asdict(k)) for k in offline],
    )


@router.get(HALL + "/floor/charts", response_model=ChartsOut)
def floor_charts(hall: str, services: ServicesDep) -> ChartsOut:
    """Arrivals and services by hour today against the same weekday's average; waits today."""
    context = services.halls.get(hall)
    with services.db.read() as session:
        charts = read_charts(session, context, services.clock.now())
    return view_out(ChartsOut, charts)


# ----- alerts -------------------------------------------------------------------------------


@router.get(HALL + "/alerts", response_model=list[AlertView])
def list_alerts(
    hall: str,
    alerts: AlertsDep,
    include_acknowledged: Annotated[bool, Query(description="today's acknowledged too")] = False,
) -> list[AlertView]:
    return alerts.today(hall) if include_acknowledged else alerts.open_alerts(hall)


@router.post(HALL + "/alerts/{alert_id}/acknowledge", response_model=AlertView)
def acknowledge_alert(
    hall: str, alert_id: str, body: AcknowledgeIn, alerts: AlertsDep, actor: ActorDep
) -> AlertView:
    return alerts.acknowledge(hall, alert_id, body.note, actor)


# ----- actions ------------------------------------------------------------------------------


@router.put(HALL + "/windows/{window}/services", response_model=ServicesOut)
def reassign_window_services(
    hall: str, window: WindowNo, body: ServicesIn, actions: ActionsDep, actor: ActorDep
) -> ServicesOut:
    """Which services this window calls from now on, with their weights."""
    done = actions.reassign(hall, window, body.services, actor)
    return ServicesOut(window=window, services=done)


@router.post(HALL + "/windows/{window}/open", response_model=DoneOut)
def open_window(hall: str, window: WindowNo, actions: ActionsDep, actor: ActorDep) -> DoneOut:
    actions.open_window(hall, window, actor)
    return DoneOut()


@router.post(HALL + "/windows/{window}/close", response_model=DoneOut)
def close_window(
    hall: str, window: WindowNo, body: ReasonIn, actions: ActionsDep, actor: ActorDep
) -> DoneOut:
    actions.close_window(hall, window, body.reason, actor)
    return DoneOut()


@router.post(HALL + "/services/{service}/stop-issuing", response_model=DoneOut)
def stop_issuing(
    hall: str, service: str, body: ReasonIn, actions: ActionsDep, actor: ActorDep
) -> DoneOut:
    actions.stop_issuing(hall, service, body.reason, actor)
    return DoneOut()


@router.post(HALL + "/services/{service}/resume-issuing", response_model=DoneOut)
def resume_issuing(hall: str, service: str, actions: ActionsDep, actor: ActorDep) -> DoneOut:
    actions.resume_issuing(hall, service, actor)
    return DoneOut()


@router.post(HALL + "/announcements", response_model=Announcement, status_code=201)
def announce(hall: str, body: AnnounceIn, actions: ActionsDep, actor: ActorDep) -> Announcement:
    """A text on the hall board for `minutes` (a new one replaces it)."""
    return actions.announce(hall, body.text, body.minutes, actor)


@router.get(HALL + "/announcements/current", response_model=Announcement | None)
def current_announcement(hall: str, actions: ActionsDep) -> Announcement | None:
    return actions.current_announcement(hall)


@router.post(HALL + "/backup-covers", response_model=CoverView, status_code=201)
def record_backup_cover(
    hall: str, body: CoverIn, actions: ActionsDep, actor: ActorDep
) -> CoverView:
    view = actions.record_cover(
        hall,
        body.window,
        body.absent_staff_no,
        body.cover_staff_no,
        body.minutes,
        body.reason,
        actor,
    )
    return view


@router.get(HALL + "/backup-covers", response_model=list[CoverView])
def list_backup_covers(hall: str, actions: ActionsDep) -> list[CoverView]:
    return actions.covers_today(hall)


# ----- duty log (值班日志) --------------------------------------------------------------------


@router.post(HALL + "/duty-log", response_model=EntryView, status_code=201)
def write_duty_log(hall: str, body: EntryIn, duty_log: DutyLogDep, actor: ActorDep) -> EntryView:
    return duty_log.write(hall, body.kind, body.text, actor)


@router.get(HALL + "/duty-log", response_model=list[EntryView])
def read_duty_log(
    hall: str,
    duty_log: DutyLogDep,
    day: Day = None,
) -> list[EntryView]:
    return duty_log.day(hall, day)


@router.get(HALL + "/duty-log/handover", response_model=EntryView | None)
def handover_note(hall: str, duty_log: DutyLogDep, principal: PrincipalDep) -> EntryView | None:
    return duty_log.handover_for(hall, _reader(principal))
