"""The `[assessment]` section of a hall's configuration: the points, bounds and quotas of the
monthly assessment. Defaults are DOMAIN.md's numbers, taken from the domain's own rules so
they are written down once (queue_server/domain/assessment/rules.py).

    [assessment]
    staff_excellent_share = 0.15
    [assessment.staff_parts]
    results = 25
    [assessment.points]
    late = { staff = 2 }            # points per late sign-in (deducted)
    overdue_case_day = { staff = 3, window = 5 }
    [assessment.best_window]        # 最佳窗口's own five parts
    part_points = 20
    overdue_case_day = 3
    ahead = [[0.5, 8], [0.3, 5], [0.2, 1.5]]
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from queue_server.domain.assessment.rules import (
    DEFAULT_RULES,
    BestWindowRules,
    Grades,
    ScoringRules,
    StaffPart,
    WindowPart,
)

Points = Annotated[float, Field(ge=0, le=100)]
TieCriterion = Literal["deducted", "bad_ratings", "satisfaction", "volume"]
Share = Annotated[float, Field(ge=0, le=1)]
_D = DEFAULT_RULES
_STAFF_BOUNDS = dict(_D.staff_grades.bounds)
_WINDOW_BOUNDS = dict(_D.window_grades.bounds)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class StaffParts(_Strict):
    conduct: Points = _D.staff_parts[StaffPart.CONDUCT]
    ability: Points = _D.staff_parts[StaffPart.ABILITY]
    diligence: Points = _D.staff_parts[StaffPart.DILIGENCE]
    results: Points = _D.staff_parts[StaffPart.RESULTS]
    integrity: Points = _D.staff_parts[StaffPart.INTEGRITY]


class WindowParts(_Strict):
    quality: Points = _D.window_parts[WindowPart.QUALITY]
    integrity: Points = _D.window_parts[WindowPart.INTEGRITY]
    discipline: Points = _D.window_parts[WindowPart.DISCIPLINE]


class StaffGrades(_Strict):
    excellent: Points = _STAFF_BOUNDS["excellent"]
    competent: Points = _STAFF_BOUNDS["competent"]
    basically_competent: Points = _STAFF_BOUNDS["basically_competent"]

    @model_validator(mode="after")
    def _descending(self) -> Self:
        if not self.excellent > self.competent > self.basically_competent:
            raise ValueError("grade bounds must fall: excellent > competent > basically_competent")
        return self


class WindowGrades(_Strict):
    excellent: Points = _WINDOW_BOUNDS["excellent"]
    good: Points = _WINDOW_BOUNDS["good"]
    pass_: Points = Field(_WINDOW_BOUNDS["pass"], alias="pass")

    @model_validator(mode="after")
    def _descending(self) -> Self:
        if not self.excellent > self.good > self.pass_:
            raise ValueError("grade bounds must fall: excellent > good > pass")
        return self


class BestWindowSection(_Strict):
    """最佳窗口's five parts: points per part, points off per overdue case-day, and the
    ahead-of-promise points as [share of the promised working days ahead, points per case]."""

    part_points: Points = _D.best_window.part_points
    overdue_case_day: Points = _D.best_window.overdue_case_day
    ahead: tuple[tuple[Share, Points], ...] = _D.best_window.ahead

    @field_validator("ahead")
    @classmethod
    def _falling(cls, value: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        shares = [share for share, _ in value]
        if shares != sorted(shares, reverse=True) or len(set(shares)) != len(shares):
            raise ValueError("ahead: give [share, points] pairs, the highest share first")
        return value

    def rules(self) -> BestWindowRules:
        return BestWindowRules(
            part_points=self.part_points,
            overdue_case_day=self.overdue_case_day,
            ahead=tuple((share, points) for share, points in self.ahead),
        )


class KindPoints(_Strict):
    """Points per unit of one kind, as a positive number (the kind says deduct or add)."""

    staff: Points | None = None
    window: Points | None = None


class BulletinSection(_Strict):
    """The published monthly notice (通报, docs/reports.md): who issues it and how it is
    numbered. `[assessment.bulletin]`."""

    issuer: Annotated[str, Field(max_length=40)] = ""  # 发文机关; empty: the hall's name
    doc_code: Annotated[str, Field(max_length=20)] = ""  # 发文机关代字, e.g. 示政服通
    recipients: Annotated[str, Field(min_length=1, max_length=120)] = "各进驻部门，各窗口"


class AssessmentSection(_Strict):
    staff_parts: StaffParts = StaffParts()
    window_parts: WindowParts = WindowParts()
    staff_grades: StaffGrades = StaffGrades()
    window_grades: WindowGrades = WindowGrades()
    staff_excellent_share: Share = _D.staff_excellent_share
    window_excellent_share: Share = _D.window_excellent_share
    best_window_min: Points = _D.best_window_min
    best_window_share: Share = _D.best_window_share
    best_window: BestWindowSection = BestWindowSection()
    bonus_cap: Points | None = _D.bonus_cap
    points: dict[str, KindPoints] = {}
    bulletin: BulletinSection = BulletinSection()
    # 同分规则: after the total, these criteria in order decide who takes an excellent (or
    # best-window) place at the quota's cut; equal on all of them: all tied are left out.
    # Criteria: deducted, bad_ratings, satisfaction, volume. [] leaves every tie out.
    tie_break: tuple[TieCriterion, ...] = _D.tie_break  # type: ignore[assignment]
    # Attendance as the month's measures read it: a personal pause longer than this inside
    # opening hours is off post (脱岗) for the excess; a window empty at least this long
    # inside opening hours is unattended.
    off_post_pause_minutes: Annotated[int, Field(ge=1, le=480)] = 30
    unattended_grace_minutes: Annotated[int, Field(ge=0, le=240)] = 5

    @field_validator("tie_break")
    @classmethod
    def _once_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("tie_break: name each criterion once")
        return value

    @field_validator("points")
    @classmethod
    def _known_kinds(cls, value: dict[str, KindPoints]) -> dict[str, KindPoints]:
        unknown = sorted(set(value) - set(_D.kinds))
        if unknown:
            raise ValueError(f"unknown assessment kinds {unknown}; known: {sorted(_D.kinds)}")
        for name, points in value.items():
            rule = _D.kinds[name]
            if points.staff is not None and rule.staff is None:
                raise ValueError(f"{name!r} does not score staff; give only 'window'")
            if points.window is not None and rule.window is None:
                raise ValueError(f"{name!r} does not score windows; give only 'staff'")
        return value

    def rules(self) -> ScoringRules:
        staff, window = self.staff_grades, self.window_grades
        rules = ScoringRules(
            staff_parts={StaffPart(k): v for k, v in self.staff_parts.model_dump().items()},
            window_parts={WindowPart(k): v for k, v in self.window_parts.model_dump().items()},
            staff_grades=Grades(
                (
                    ("excellent", staff.excellent),
                    ("competent", staff.competent),
                    ("basically_competent", staff.basically_competent),
                ),
                _D.staff_grades.lowest,
            ),
            window_grades=Grades(
                (("excellent", window.excellent), ("good", window.good), ("pass", window.pass_)),
                _D.window_grades.lowest,
            ),
            staff_excellent_share=self.staff_excellent_share,
            window_excellent_share=self.window_excellent_share,
            best_window_min=self.best_window_min,
            best_window_share=self.best_window_share,
            best_window=self.best_window.rules(),
            bonus_cap=self.bonus_cap,
            tie_break=tuple(self.tie_break),
        )
        for name, points in self.points.items():
            rules = rules.with_points(name, points.staff, points.window)
        return rules
