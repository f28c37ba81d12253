"""The `[haocha]` section: reporting 好差评 to the provincial platform (docs/ratings.md).

Provinces name the fields and code the levels differently, so the whole mapping is the hall's;
the defaults are a starting point to be replaced by the province's interface document.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from queue_server.domain.haocha import CANONICAL_FIELDS, RECORD_TYPES, ProvinceMapping, RecordType
from queue_server.domain.rating import Level

DEFAULT_FIELDS: dict[str, str] = {
    "record_id": "recordId",
    "record_type": "recordType",
    "evaluation_id": "evaluationId",
    "item_code": "taskCode",
    "case_id": "projectNo",
    "channel": "pf",
    "level": "alternate",
    "time": "assessTime",
    "evaluated_at": "evaluateTime",
    "department": "deptName",
    "staff": "userCode",
    "window": "windowNo",
    "reasons": "evaluateDetail",
    "contact": "mobile",
    "result": "rectification",
}
DEFAULT_LEVELS: dict[str, str] = {
    Level.VERY_SATISFIED.value: "5",
    Level.SATISFIED.value: "4",
    Level.BASICALLY_SATISFIED.value: "3",
    Level.DISSATISFIED.value: "2",
    Level.VERY_DISSATISFIED.value: "1",
}
DEFAULT_RECORD_TYPES: dict[str, str] = {
    "rating": "1",
    "contact": "2",
    "rectification": "3",
    "closing": "4",
}
_HEADER = r"^[A-Za-z0-9-]{1,64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HaochaItem(_Strict):
    """The service's 事项编码 in the province's item catalogue and the department it belongs to."""

    code: Annotated[str, Field(min_length=1, max_length=64)]
    department: Annotated[str, Field(min_length=1, max_length=100)]


class HaochaSection(_Strict):
    enabled: bool = False
    endpoint: Annotated[str, Field(pattern=r"^https?://")] | None = None
    signature: Literal["hmac-sha256", "hmac-sm3"] = "hmac-sm3"
    secret_file: str | None = None
    app_id: str | None = None
    app_id_header: Annotated[str, Field(pattern=_HEADER)] = "X-App-Id"
    timestamp_header: Annotated[str, Field(pattern=_HEADER)] = "X-Timestamp"
    signature_header: Annotated[str, Field(pattern=_HEADER)] = "X-Signature"
    channel: Annotated[str, Field(min_length=1, max_length=16)] = "4"  # 窗口评价器
    time_format: str = "%Y-%m-%d %H:%M:%S"
    fields: dict[str, Annotated[str, Field(min_length=1, max_length=64)]] = DEFAULT_FIELDS
    levels: dict[str, Annotated[str, Field(min_length=1, max_length=16)]] = DEFAULT_LEVELS
    record_types: dict[str, Annotated[str, Field(min_length=1, max_length=16)]] = (
        DEFAULT_RECORD_TYPES
    )
    items: dict[str, HaochaItem] = {}
    reconciliation_dir: str | None = None
    deliver_every_seconds: Annotated[float, Field(ge=0.2, le=3600)] = 30

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(CANONICAL_FIELDS))
        if unknown:
            raise ValueError(f"unknown field names {unknown}; use {', '.join(CANONICAL_FIELDS)}")
        names = list(value.values())
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"province field names used twice: {repeated}")
        return value

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, value: dict[str, str]) -> dict[str, str]:
        known = {level.value for level in Level}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown levels {unknown}; use {', '.join(sorted(known))}")
        missing = sorted(known - set(value))
        if missing:
            raise ValueError(f"levels without a code: {missing}")
        codes = list(value.values())
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"two levels have the same code: {repeated}")
        return value

    @field_validator("record_types")
    @classmethod
    def _all_types(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(RECORD_TYPES))
        missing = sorted(set(RECORD_TYPES) - set(value))
        if unknown or missing:
            raise ValueError(
                f"record_types must code exactly {', '.join(RECORD_TYPES)}"
                f" (unknown {unknown}, missing {missing})"
            )
        codes = list(value.values())
        if len(set(codes)) != len(codes):
            raise ValueError("two record types have the same code")
        return value

    @field_validator("time_format")
    @classmethod
    def _time_format(cls, value: str) -> str:
        if "%" not in value:
            raise ValueError(f"{value!r} is not a strftime format like %Y-%m-%d %H:%M:%S")
        return value

    @model_validator(mode="after")
    def _signed(self) -> Self:
        if self.endpoint is not None and self.secret_file is None:
            raise ValueError("endpoint needs secret_file: every record is signed")
        if self.enabled and self.endpoint is None:
            raise ValueError("enabled = true needs an endpoint")
        return self

    def mapping(self, timezone: str) -> ProvinceMapping:
        types: dict[RecordType, str] = {t: self.record_types[t] for t in RECORD_TYPES}
        return ProvinceMapping(
            fields=dict(self.fields),
            levels={Level(k): v for k, v in self.levels.items()},
            record_types=types,
            channel=self.channel,
            time_format=self.time_format,
            timezone=timezone,
            item_codes=frozenset(item.code for item in self.items.values()),
        )


def check_items(section: HaochaSection, service_codes: list[str]) -> None:
    """Every service a visitor can rate needs its 事项编码 once reporting is on; an item for a
    service the hall does not have is a typo."""
    unknown = sorted(set(section.items) - set(service_codes))
    if unknown:
        raise ValueError(f"[haocha] items for unknown services {unknown}")
    if section.enabled:
        missing = [code for code in service_codes if code not in section.items]
        if missing:
            raise ValueError(f"[haocha] services without an item (事项编码): {missing}")
