"""The monthly bulletin of a hall that reports 好差评 says how many of the month's records the
province has and how many are still to be reported; a hall that does not report shows
neither figure."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.reports.bulletin import month_bulletin
from queue_server.reports.html import render_html
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.haocha import HaochaReporter
from queue_server.services.reports import ReportService
from tests.support.haocha import RatedVisits, lead_actor
from tests.support.haocha_receiver import HaochaReceiver


def test_reported_and_pending_in_the_bulletin(
    reporting: Services,
    reporter: HaochaReporter,
    visits: RatedVisits,
    receiver: HaochaReceiver,
    clock: ManualClock,
) -> None:
    month = f"{reporting.halls.get('test').calendar.business_day(clock.now()):%Y-%m}"
    visits.rate(Level.VERY_SATISFIED)
    visits.rate(Level.VERY_DISSATISFIED, phone="13500001111")
    with receiver:
        assert reporter.run_once() == 2
    visits.rate(Level.SATISFIED)
    [follow_up] = FollowUpService(reporting.db, reporting.halls, clock).list("test")
    FollowUpService(reporting.db, reporting.halls, clock).record_contact(
        "test", follow_up.id, "phoned", lead_actor(reporting)
    )
    clock.advance(timedelta(minutes=5))

    measures = ReportService(reporting.db, reporting.halls, clock).month_measures("test", month)
    assert measures.reporting is not None
    assert (measures.reporting.reported, measures.reporting.pending) == (2, 2)
    bulletin = month_bulletin(measures, clock.now())
    figures = {f.zh: f.value for f in bulletin.figures}
    assert (figures["好差评已上报"], figures["好差评待上报"]) == (2, 2)
    html = render_html(bulletin, [])
    assert "好差评已上报" in html and "Ratings not yet reported" in html


def test_a_hall_that_does_not_report_shows_neither(services: Services, clock: ManualClock) -> None:
    RatedVisits(services, clock).rate(Level.SATISFIED)
    month = f"{services.halls.get('test').calendar.business_day(clock.now()):%Y-%m}"
    measures = ReportService(services.db, services.halls, clock).month_measures("test", month)
    assert measures.reporting is None and measures.totals.ratings == 1
    figures = {f.zh for f in month_bulletin(measures, clock.now()).figures}
    assert not figures & {"好差评已上报", "好差评待上报"}
