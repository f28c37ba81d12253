"""Records carry the province's field names and codes from the hall's mapping; what the
province would refuse (a required field missing, an unknown level code or 事项编码, an
unmasked phone) is named before anything is sent."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.config.haocha import HaochaItem, HaochaSection
from queue_server.domain import haocha
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.haocha import collect
from queue_server.storage.haocha_tables import HaochaOutbox
from tests.support.haocha import RatedVisits

PROVINCE = HaochaSection(
    fields={
        "record_id": "sjbh",
        "record_type": "sjlx",
        "evaluation_id": "pjbh",
        "item_code": "sxbm",
        "case_id": "bjbh",
        "channel": "pjqd",
        "level": "pjdj",
        "time": "sjsj",
        "department": "bmmc",
        "contact": "lxfs",
        "result": "zgjg",
    },
    levels={
        "very_satisfied": "A",
        "satisfied": "B",
        "basically_satisfied": "C",
        "dissatisfied": "D",
        "very_dissatisfied": "E",
    },
    record_types={"rating": "PJ", "contact": "LX", "rectification": "ZG", "closing": "BJ"},
    channel="07",
    time_format="%Y%m%d%H%M%S",
    items={"SOC": HaochaItem(code="3301-SB-01", department="人社局")},
)
MAPPING = PROVINCE.mapping("Asia/Shanghai")
RATED = datetime(2026, 3, 2, 1, 30, 5, tzinfo=UTC)  # 09:30:05 in the hall


def _bad_rating(item: str | None = "3301-SB-01") -> haocha.Record:
    return haocha.rating_record(
        hall="h1",
        rating="r" * 32,
        level=Level.VERY_DISSATISFIED,
        rated_at=RATED,
        business_day=date(2026, 3, 2),
        ticket_number="A007",
        window=3,
        staff="C001",
        reasons=["attitude", "slow"],
        item_code=item,
        department="人社局" if item else None,
        phone="13812345678",
    )


def test_a_bad_rating_renders_in_the_provinces_names_and_codes() -> None:
    record = _bad_rating()
    rendered = haocha.render(record, MAPPING)
    assert rendered == {
        "sjbh": "h1-" + "r" * 32,
        "sjlx": "PJ",
        "pjbh": "h1-" + "r" * 32,
        "sxbm": "3301-SB-01",
        "bjbh": "h1-20260302-A007",
        "pjqd": "07",
        "pjdj": "E",
        "sjsj": "20260302093005",
        "bmmc": "人社局",
        "lxfs": "138****5678",
    }
    assert haocha.problems(rendered, "rating", MAPPING) == []


def test_each_step_has_its_own_stable_id_and_fits() -> None:
    rating = _bad_rating()
    fixed_at = RATED + timedelta(days=1)
    step = haocha.step_record(rating, "rectification", fixed_at, "窗口人员已整改", "L01")
    assert step.id == f"h1-{'r' * 32}-rectification-{int(fixed_at.timestamp())}"
    rendered = haocha.render(step, MAPPING)
    assert (rendered["sjlx"], rendered["pjbh"], rendered["zgjg"]) == (
        "ZG", rating.id, "窗口人员已整改",
    )  # fmt: skip
    assert haocha.problems(rendered, "rectification", MAPPING) == []
    assert haocha.step_record(rating, "rectification", fixed_at, "x", None).id == step.id


def test_what_the_province_would_refuse_is_named() -> None:
    no_item = haocha.render(_bad_rating(item=None), MAPPING)
    assert haocha.problems(no_item, "rating", MAPPING) == [
        "sxbm (item_code) is missing",
        "bmmc (department) is missing",
    ]
    wrong = dict(haocha.render(_bad_rating(), MAPPING), pjdj="9", sxbm="9999", lxfs="13812345678")
    assert haocha.problems(wrong, "rating", MAPPING) == [
        "pjdj: unknown level code '9'",
        "sxbm: 事项编码 '9999' is not in the hall's items",
        "lxfs: the contact must be masked",
    ]
    step = haocha.render(haocha.step_record(_bad_rating(), "contact", RATED, "", None), MAPPING)
    assert "zgjg (result) is missing" in haocha.problems(step, "contact", MAPPING)


def test_the_outbox_holds_records_that_fit_and_only_a_masked_phone(
    reporting: Services, visits: RatedVisits, clock: ManualClock
) -> None:
    visits.rate(Level.SATISFIED, service="TAX")
    visits.rate(Level.DISSATISFIED, phone="13912345678")
    hall = reporting.halls.get("test")
    mapping = hall.config.haocha.mapping(hall.config.hall.timezone)
    assert collect(reporting.db, hall, clock.now()) == 2
    assert collect(reporting.db, hall, clock.now()) == 0  # idempotent
    with reporting.db.read() as session:
        rows = list(session.scalars(select(HaochaOutbox).order_by(HaochaOutbox.at)))
    bodies = [json.loads(row.body) for row in rows]
    assert [b["taskCode"] for b in bodies] == ["330102-SW-0001", "330102-SB-0001"]
    assert [b["alternate"] for b in bodies] == ["4", "2"]
    assert "mobile" not in bodies[0] and bodies[1]["mobile"] == "139****5678"
    assert all(row.problem is None for row in rows)
    for row, body in zip(rows, bodies, strict=True):
        assert haocha.problems(body, "rating", mapping) == []
        assert "13912345678" not in row.body
