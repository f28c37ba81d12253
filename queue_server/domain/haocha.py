"""好差评 records for the provincial platform (国办发〔2019〕51号): rules only, no I/O.

Every rating made at a window, and each follow-up step of a bad rating (contact with the
visitor, rectification, closing), becomes one canonical `Record`. `render` turns it into the
province's field names and codes (the hall's `[haocha]` mapping: provinces differ), `problems`
checks a rendered record against that mapping, and `sign`/`verify` compute the signature
header over "<timestamp>.<body>" with HMAC-SHA256 or HMAC-SM3 (GB/T 32905).

Record ids are stable, so a repeated delivery is recognised by the platform:
`<hall>-<rating id>` for a rating (which is also the evaluation id every follow-up step
refers to) and `<evaluation id>-<step>-<unix time of the step>` for a step.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from queue_server.domain.masking import mask_phone
from queue_server.domain.rating import Level, is_bad

RecordType = Literal["rating", "contact", "rectification", "closing"]
RECORD_TYPES: tuple[RecordType, ...] = ("rating", "contact", "rectification", "closing")
Algorithm = Literal["hmac-sha256", "hmac-sm3"]

# The canonical fields a record can carry; the hall maps each to its province's name.
CANONICAL_FIELDS: tuple[str, ...] = (
    "record_id",
    "record_type",
    "evaluation_id",
    "item_code",
    "case_id",
    "channel",
    "level",
    "time",
    "evaluated_at",
    "department",
    "staff",
    "window",
    "reasons",
    "contact",
    "result",
)

_COMMON = ("record_id", "record_type", "evaluation_id", "item_code", "time")
REQUIRED: dict[RecordType, tuple[str, ...]] = {
    "rating": (*_COMMON, "case_id", "channel", "level", "department"),
    "contact": (*_COMMON, "result"),
    "rectification": (*_COMMON, "result"),
    "closing": (*_COMMON, "result"),
}


@dataclass(frozen=True)
class Record:
    """One 好差评 record in hallq's own terms, before the province's mapping."""

    id: str
    type: RecordType
    evaluation_id: str
    hall: str
    item_code: str | None  # None: the service has no 事项编码 (any more) in the hall file
    department: str | None
    case_id: str
    level: Level
    at: datetime  # the rating, or the step
    evaluated_at: datetime
    window: int
    staff: str | None
    reasons: tuple[str, ...] = ()
    contact: str | None = None  # masked, bad ratings only
    result: str | None = None  # the step's note


@dataclass(frozen=True)
class ProvinceMapping:
    """Field names and codes of the province's interface (the hall's `[haocha]` section)."""

    fields: Mapping[str, str]  # canonical name -> province field name
    levels: Mapping[Level, str]
    record_types: Mapping[RecordType, str]
    channel: str
    time_format: str
    timezone: str
    item_codes: frozenset[str] = field(default_factory=frozenset)

    def local_day(self, instant: datetime) -> date:
        return instant.astimezone(ZoneInfo(self.timezone)).date()


def rating_id(hall: str, rating: str) -> str:
    return f"{hall}-{rating}"


def step_id(evaluation_id: str, step: RecordType, at: datetime) -> str:
    return f"{evaluation_id}-{step}-{int(at.timestamp())}"


def case_id(hall: str, business_day: date, ticket_number: str) -> str:
    """办件编号 of a window visit: the hall, the day and the ticket number are unique together."""
    return f"{hall}-{business_day:%Y%m%d}-{ticket_number}"


def masked_contact(phone: str | None) -> str | None:
    return mask_phone(phone) if phone else None


def rating_record(
    *,
    hall: str,
    rating: str,
    level: Level,
    rated_at: datetime,
    business_day: date,
    ticket_number: str,
    window: int,
    staff: str | None,
    reasons: Sequence[str],
    item_code: str | None,
    department: str | None,
    phone: str | None,
) -> Record:
    evaluation = rating_id(hall, rating)
    return Record(
        id=evaluation,
        type="rating",
        evaluation_id=evaluation,
        hall=hall,
        item_code=item_code,
        department=department,
        case_id=case_id(hall, business_day, ticket_number),
        level=level,
        at=rated_at,
        evaluated_at=rated_at,
        window=window,
        staff=staff,
        reasons=tuple(reasons),
        contact=masked_contact(phone) if is_bad(level) else None,
    )


def step_record(
    rating: Record, step: RecordType, at: datetime, note: str, by: str | None
) -> Record:
    """A follow-up step of the bad rating `rating`; the steps are independent of each other
    (a fix recorded before the contact is reported as it happened)."""
    if step == "rating":
        raise ValueError("a step is contact, rectification or closing")
    return Record(
        id=step_id(rating.evaluation_id, step, at),
        type=step,
        evaluation_id=rating.evaluation_id,
        hall=rating.hall,
        item_code=rating.item_code,
        department=rating.department,
        case_id=rating.case_id,
        level=rating.level,
        at=at,
        evaluated_at=rating.evaluated_at,
        window=rating.window,
        staff=by,
        result=note,
    )


def _canonical_values(record: Record, mapping: ProvinceMapping) -> dict[str, str | None]:
    zone = ZoneInfo(mapping.timezone)
    return {
        "record_id": record.id,
        "record_type": mapping.record_types.get(record.type),
        "evaluation_id": record.evaluation_id,
        "item_code": record.item_code,
        "case_id": record.case_id,
        "channel": mapping.channel,
        "level": mapping.levels.get(record.level),
        "time": record.at.astimezone(zone).strftime(mapping.time_format),
        "evaluated_at": record.evaluated_at.astimezone(zone).strftime(mapping.time_format),
        "department": record.department,
        "staff": record.staff,
        "window": str(record.window),
        "reasons": ",".join(record.reasons) or None,
        "contact": record.contact,
        "result": record.result,
    }


def render(record: Record, mapping: ProvinceMapping) -> dict[str, str]:
    """The record in the province's names and codes; empty values and unmapped fields are left
    out (a province that does not take a field simply does not map it)."""
    values = _canonical_values(record, mapping)
    out: dict[str, str] = {}
    for name in CANONICAL_FIELDS:
        target = mapping.fields.get(name)
        value = values[name]
        if target is not None and value is not None and value != "":
            out[target] = value
    return out


def problems(
    rendered: Mapping[str, str], record_type: RecordType, mapping: ProvinceMapping
) -> list[str]:
    """What the province would refuse in a rendered record; empty when it fits the mapping."""
    found: list[str] = []
    for name in REQUIRED[record_type]:
        target = mapping.fields.get(name)
        if target is None:
            found.append(f"{name} is required for a {record_type} record but not mapped")
        elif not rendered.get(target):
            found.append(f"{target} ({name}) is missing")
    level_field = mapping.fields.get("level")
    if (
        level_field
        and level_field in rendered
        and rendered[level_field] not in mapping.levels.values()
    ):
        found.append(f"{level_field}: unknown level code {rendered[level_field]!r}")
    item_field = mapping.fields.get("item_code")
    if item_field and item_field in rendered and rendered[item_field] not in mapping.item_codes:
        found.append(f"{item_field}: 事项编码 {rendered[item_field]!r} is not in the hall's items")
    contact_field = mapping.fields.get("contact")
    if contact_field and contact_field in rendered and not is_masked(rendered[contact_field]):
        found.append(f"{contact_field}: the contact must be masked")
    return found


def is_masked(contact: str) -> bool:
    digits = sum(ch.isdigit() for ch in contact)
    return "*" in contact and digits <= 7


# ----- signatures -------------------------------------------------------------------------

_BLOCK = 64  # SM3 and SHA-256 both take 64-byte blocks


def sm3(data: bytes) -> bytes:
    """SM3 (GB/T 32905) from OpenSSL when it carries it, else the pure-Python gmssl."""
    if "sm3" in hashlib.algorithms_available:
        try:
            return hashlib.new("sm3", data).digest()
        except ValueError:  # listed but disabled by the OpenSSL provider configuration
            pass
    return sm3_gmssl(data)


def sm3_gmssl(data: bytes) -> bytes:
    from gmssl import func
    from gmssl import sm3 as gm_sm3

    return bytes.fromhex(gm_sm3.sm3_hash(func.bytes_to_list(data)))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3, written out so that it works with either SM3 source."""
    if len(key) > _BLOCK:
        key = sm3(key)
    key = key.ljust(_BLOCK, b"\0")
    inner = sm3(bytes(k ^ 0x36 for k in key) + message)
    return sm3(bytes(k ^ 0x5C for k in key) + inner)


def signed_text(timestamp: int, body: bytes) -> bytes:
    return str(timestamp).encode() + b"." + body


def sign(algorithm: Algorithm, secret: bytes, timestamp: int, body: bytes) -> str:
    message = signed_text(timestamp, body)
    if algorithm == "hmac-sm3":
        return hmac_sm3(secret, message).hex()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify(
    algorithm: Algorithm, secret: bytes, timestamp: str, body: bytes, signature: str
) -> bool:
    """What the platform does; the tests' receiver uses it."""
    try:
        expected = sign(algorithm, secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature.strip().lower())


# ----- reconciliation and files -------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    id: str
    type: RecordType
    level: Level
    day: date  # the record's own day (local), the key the platform compares by


def reconciliation(
    hall: str, day: date, delivered: Iterable[Delivered], mapping: ProvinceMapping
) -> dict[str, object]:
    """The day's reconciliation file: counts per level and record type, and the ids sent."""
    rows = sorted((d for d in delivered if d.day == day), key=lambda d: d.id)
    ratings = [d for d in rows if d.type == "rating"]
    levels = Counter(mapping.levels.get(d.level, d.level.value) for d in ratings)
    types = Counter(mapping.record_types.get(d.type, d.type) for d in rows)
    return {
        "hall": hall,
        "day": day.isoformat(),
        "records": len(rows),
        "ratings_per_level": dict(sorted(levels.items())),
        "records_per_type": dict(sorted(types.items())),
        "ids": [d.id for d in rows],
    }


def json_lines(rendered: Iterable[Mapping[str, str]]) -> str:
    return "".join(
        json.dumps(dict(r), ensure_ascii=False, sort_keys=False) + "\n" for r in rendered
    )


def csv_text(rendered: Sequence[Mapping[str, str]], mapping: ProvinceMapping) -> str:
    """Columns in the canonical order, named as the province names them."""
    columns = [mapping.fields[name] for name in CANONICAL_FIELDS if name in mapping.fields]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rendered:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue()
