"""考核: supervision's manual entries, the monthly runs and their explained scores, the yearly
summary; and the conclusion (办结) of a promised case, which the reports count overdue days by."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep
from queue_server.api.deps import ServicesDep
from queue_server.api.params import WindowNo, Year
from queue_server.api.schemas import Request as Body
from queue_server.api.schemas import view_out
from queue_server.domain.assessment.corrections import Correction
from queue_server.domain.assessment.month import result_to_dict
from queue_server.domain.assessment.rules import PART_ZH, rules_to_dict
from queue_server.domain.assessment.year import YearLine
from queue_server.domain.months import month_bounds
from queue_server.services.assessment import AssessmentService, MonthRecord, YearAssessment
from queue_server.services.case_conclusions import Conclusion, OpenCase
from queue_server.services.manual_entries import (
    EntryView,
    ManualEntryService,
    NewEntry,
    Placement,
    hall_rules,
)

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["assessment"])
BASE = "/assessment"
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="repeat a submission with the same key to get the same entry",
    ),
]


class EntryIn(Body):
    kind: Annotated[str, Field(min_length=1, max_length=48)]
    day: date
    reason: Annotated[str, Field(min_length=1, max_length=1000)]
    staff_no: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    window: Annotated[int, Field(ge=1, le=999)] | None = None
    points: Annotated[float, Field(ge=0, le=100)] | None = None
    evidence: Annotated[str, Field(max_length=2000)] | None = None


class ReverseIn(Body):
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class EntryOut(BaseModel):
    id: str
    kind: str
    day: date
    staff_no: str | None
    window: int | None
    points: float | None
    reason: str
    evidence: str | None
    recorded_at: datetime
    recorded_by: str | None
    in_force: bool
    reversed_by: str | None
    reversal_reason: str | None
    counts_in: str = Field(
        description="the month the entry is scored in: the month of its day, or the month it "
        "was recorded in when its own month was already closed (a correction)"
    )
    correction_of: str | None = Field(
        description="the closed month this entry corrects, if it was recorded after closing"
    )

    @classmethod
    def of(cls, view: EntryView, placed: Placement) -> EntryOut:
        return cls(
            counts_in=placed.counts_in,
            correction_of=placed.correction_of,
            id=view.id,
            kind=view.kind,
            day=view.day,
            staff_no=view.staff_no,
            window=view.window,
            points=view.points,
            reason=view.reason,
            evidence=view.evidence,
            recorded_at=view.recorded_at,
            recorded_by=view.recorded_by,
            in_force=view.in_force,
            reversed_by=view.reversed_by,
            reversal_reason=view.reversal_reason,
        )


class MonthOut(BaseModel):
    hall: str
    month: str
    state: str = Field(description="open (re-runnable) | closed (frozen)")
    runs: int
    run_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    result: dict[str, Any] = Field(
        description="staff and windows with parts, explained lines (refs: event:<seq>, "
        "entry:<id>, complaint:<id>), grades, ranks, best windows, flags"
    )
    rules: dict[str, Any] = Field(description="the rules this result was computed with")

    @classmethod
    def of(cls, record: MonthRecord) -> MonthOut:
        return cls(
            hall=record.hall,
            month=record.month,
            state=record.state,
            runs=record.runs,
            run_at=record.run_at,
            closed_at=record.closed_at,
            closed_by=record.closed_by,
            result=result_to_dict(record.result),
            rules=record.rules,
        )


class CorrectionOut(BaseModel):
    month: str = Field(description="the closed month the fact is dated in")
    counts_in: str = Field(description="the month it is scored in: the month it was recorded")
    kind: str
    happened_on: date
    staff_no: str | None
    window: int | None
    quantity: int = Field(description="negative: takes back what the closed month counted")
    points: float | None
    recorded_at: datetime
    recorded_by: str | None
    what: str
    refs: list[str]

    @classmethod
    def of(cls, found: Correction) -> CorrectionOut:
        fact = found.fact
        return cls(
            month=found.month,
            counts_in=found.counts_in,
            kind=fact.kind,
            happened_on=found.happened_on,
            staff_no=fact.staff_no,
            window=fact.window,
            quantity=fact.quantity,
            points=fact.points,
            recorded_at=found.recorded_at,
            recorded_by=found.recorded_by,
            what=found.what,
            refs=[str(r) for r in fact.refs],
        )


class MonthCorrectionsOut(BaseModel):
    hall: str
    month: str
    of_month: list[CorrectionOut] = Field(
        description="facts dated in this month, recorded after it was closed"
    )
    counted_here: list[CorrectionOut] = Field(
        description="corrections of earlier closed months recorded in this month"
    )


# domain/assessment/year.py YearLine as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class YearLineOut(YearLine):
    pass


class YearOut(BaseModel):
    hall: str
    year: int
    months: dict[str, str]
    staff: list[YearLineOut]
    windows: list[YearLineOut]
    best_windows: dict[str, list[int]]
    flags: dict[str, list[str]]

    @classmethod
    def of(cls, year: YearAssessment) -> YearOut:
        def lines(items: list[Any]) -> list[YearLineOut]:
            return [view_out(YearLineOut, x) for x in items]

        return cls(
            hall=year.hall,
            year=year.year,
            months=year.months,
            staff=lines(year.staff),
            windows=lines(year.windows),
            best_windows=year.best_windows,
            flags=year.flags,
        )


class ConcludeIn(Body):
    concluded_on: date | None = Field(
        None, description="the day it was concluded; today if left out"
    )


# services/case_conclusions.py Conclusion as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class ConclusionOut(Conclusion):
    pass


class OpenCaseOut(BaseModel):
    ticket_id: str
    number: str
    service: str
    finished_on: date
    deadline: date
    working_days_left: int = Field(
        description="working days to the deadline: 0 when due today, negative once overdue"
    )
    overdue: bool

    @classmethod
    def of(cls, case: OpenCase) -> OpenCaseOut:
        return cls(
            ticket_id=case.ticket_id,
            number=case.number,
            service=case.service,
            finished_on=case.finished_on,
            deadline=case.deadline,
            working_days_left=case.working_days_left,
            overdue=case.overdue,
        )


def _entries(services: ServicesDep) -> ManualEntryService:
    return services.manual_entries


def _assessment(services: ServicesDep) -> AssessmentService:
    return services.assessment


@router.get(BASE + "/rules")
def assessment_rules(hall: str, services: ServicesDep) -> dict[str, Any]:
    """The hall's current rules: parts, kinds with their points, grade bounds, quotas."""
    return {**rules_to_dict(hall_rules(services.halls.get(hall))), "part_names_zh": PART_ZH}


def _entries_out(services: ServicesDep, hall: str, views: list[EntryView]) -> list[EntryOut]:
    placed = _entries(services).placements(hall, views)
    return [EntryOut.of(v, p) for v, p in zip(views, placed, strict=True)]


@router.post(BASE + "/entries", response_model=EntryOut, status_code=201)
def add_assessment_entry(
    hall: str,
    body: EntryIn,
    services: ServicesDep,
    actor: ActorDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> EntryOut:
    """A deduction or bonus the system cannot see (quarrel, pennant, media praise ...)."""
    view, created = _entries(services).add(
        hall, NewEntry(**body.model_dump()), actor, request_key=idempotency_key
    )
    if not created:
        response.status_code = 200
    return _entries_out(services, hall, [view])[0]


@router.get(BASE + "/entries", response_model=list[EntryOut])
def list_assessment_entries(
    hall: str,
    services: ServicesDep,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> list[EntryOut]:
    first, last = month_bounds(month) if month else (None, None)
    return _entries_out(services, hall, _entries(services).list(hall, first, last))


@router.post(BASE + "/entries/{entry_id}/reverse", response_model=EntryOut)
def reverse_assessment_entry(
    hall: str, entry_id: str, body: ReverseIn, services: ServicesDep, actor: ActorDep
) -> EntryOut:
    """Reverse an entry with a reason; the entry and its reversal both stay on record."""
    return _entries_out(
        services, hall, [_entries(services).reverse(hall, entry_id, body.reason, actor)]
    )[0]


@router.post(BASE + "/months/{month}/run", response_model=MonthOut)
def run_assessment_month(hall: str, month: str, services: ServicesDep, actor: ActorDep) -> MonthOut:
    """Compute the month's scores now (again, while the month is open); 409 once closed."""
    return MonthOut.of(_assessment(services).run_month(hall, month, actor))


@router.post(BASE + "/months/{month}/close", response_model=MonthOut)
def close_assessment_month(
    hall: str, month: str, services: ServicesDep, actor: ActorDep
) -> MonthOut:
    """Run the month a last time and freeze it with the rules used."""
    return MonthOut.of(_assessment(services).close_month(hall, month, actor))


@router.get(BASE + "/months/{month}", response_model=MonthOut)
def get_assessment_month(hall: str, month: str, services: ServicesDep) -> MonthOut:
    return MonthOut.of(_assessment(services).month(hall, month))


@router.get(BASE + "/months/{month}/corrections", response_model=MonthCorrectionsOut)
def get_assessment_corrections(hall: str, month: str, services: ServicesDep) -> MonthCorrectionsOut:
    """更正: what was recorded for this month after it was closed (who, when, what it changes,
    where it counts), and the corrections of earlier months that count in this one."""
    found = _assessment(services).corrections(hall, month)
    return MonthCorrectionsOut(
        hall=found.hall,
        month=found.month,
        of_month=[CorrectionOut.of(c) for c in found.of_month],
        counted_here=[CorrectionOut.of(c) for c in found.counted_here],
    )


@router.get(BASE + "/years/{year}", response_model=YearOut)
def assessment_year(hall: str, year: Year, services: ServicesDep) -> YearOut:
    return YearOut.of(_assessment(services).year(hall, year))


@router.get("/windows/{window}/promised-cases", response_model=list[OpenCaseOut])
def list_open_promised_cases(
    hall: str, window: WindowNo, services: ServicesDep
) -> list[OpenCaseOut]:
    """承诺件 finished at this window and not yet concluded (办结), the nearest deadline first."""
    cases = services.case_conclusions.open_cases(hall, window)
    return [OpenCaseOut.of(case) for case in cases]


@router.post("/windows/{window}/tickets/{ticket_id}/conclude", response_model=ConclusionOut)
def conclude_case(
    hall: str, window: WindowNo, ticket_id: str, body: ConcludeIn, services: ServicesDep,
    actor: ActorDep,
) -> ConclusionOut:  # fmt: skip
    """办结: a promised case finished at this window is concluded (once)."""
    done = services.case_conclusions.conclude(hall, window, ticket_id, body.concluded_on, actor)
    return view_out(ConclusionOut, done)
