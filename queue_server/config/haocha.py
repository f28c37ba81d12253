"""The `[haocha]` section: reporting 好差评 to the provincial platform (docs/ratings.md).

Provinces name the fields and code the levels differently, so the whole mapping is the hall's;
the defaults are a starting point to be replaced by the province's interface document.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def _code_table(
    value: dict[str, str], known: Sequence[str], keys: str, codes: str, *, complete: bool = False
) -> dict[str, str]:
    """One table of the mapping (our name -> the province's code): only names we know, all of
    them when `complete`, and no province code used for two of ours (a record could not be read
    back). The three tables were checked by three near-copies of this."""
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValueError(f"unknown {keys} {unknown}; use {', '.join(known)}")
    missing = sorted(set(known) - set(value)) if complete else []
    if missing:
        raise ValueError(f"{keys} without a code: {missing}")
    names = list(value.values())
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{codes} used twice: {repeated}")
    return value


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
        return _code_table(value, CANONICAL_FIELDS, "field names", "province field names")

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, value: dict[str, str]) -> dict[str, str]:
        levels = sorted(level.value for level in Level)
        return _code_table(value, levels, "levels", "level codes", complete=True)

    @field_validator("record_types")
    @classmethod
    def _all_types(cls, value: dict[str, str]) -> dict[str, str]:
        return _code_table(value, RECORD_TYPES, "record types", "record type codes", complete=True)

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
