"""Everything the published notice (通报) needs besides the month's measures: the hall's
issuing body and document code, last month's measures for the comparison, the number and
the date (the command line's or the defaults)."""

from __future__ import annotations

from datetime import date

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.month_measures import MonthMeasures, ScoreSection
from queue_server.domain.months import previous_month
from queue_server.reports.chain_head import ChainHead
from queue_server.reports.notice import Notice, NoticeSettings, month_notice
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry


def notice_settings(
    halls: HallRegistry,
    clock: Clock,
    hall_id: str,
    month: str,
    number: int | None = None,
    issued_on: date | None = None,
) -> NoticeSettings:
    """The document number defaults to the month's number in the year (the bulletin of
    November is No. 11), the date to the hall's today."""
    hall = halls.get(hall_id)
    section = hall.config.assessment.bulletin
    issuer = section.issuer or hall.config.hall.name.zh
    return NoticeSettings(
        issuer=issuer,
        doc_code=section.doc_code or issuer,
        number=number if number is not None else int(month[5:]),
        recipients=section.recipients,
        issued_on=issued_on or hall.calendar.business_day(clock.now()),
    )


def build_notice(
    db: Database,
    halls: HallRegistry,
    clock: Clock,
    measures: MonthMeasures,
    scores: ScoreSection | None,
    number: int | None = None,
    issued_on: date | None = None,
    chain_head: ChainHead | None = None,
) -> Notice:
    from queue_server.services.reports import ReportService

    settings = notice_settings(halls, clock, measures.hall_id, measures.month, number, issued_on)
    try:
        before = ReportService(db, halls, clock).month_measures(
            measures.hall_id, previous_month(measures.month)
        )
    except RuleViolation:
        before = None
    return month_notice(measures, settings, scores, before, chain_head)
