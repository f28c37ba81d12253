"""The month's measures of one scripted day equal the times the script set (scripted_day.py)."""

from __future__ import annotations

from datetime import date

from queue_server.domain.clock import ManualClock
from queue_server.services.reports import ReportService
from tests.reports.scripted_day import HALL, play_day
from tests.support.factories import local, make_services, small_hall


def test_measures_of_a_scripted_day_are_exact(database_url: str) -> None:
    clock = ManualClock(local(2026, 11, 25, 8, 0))
    services = make_services(database_url, small_hall(), clock=clock)
    try:
        script = play_day(services, clock)
        clock.set(local(2026, 12, 3, 10, 0))
        reports = ReportService(services.db, services.halls, clock)
        m = reports.month_measures(HALL, "2026-11")
    finally:
        services.db.engine.dispose()

    totals = m.totals
    assert (m.first_day, m.last_day, m.as_of) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        date(2026, 11, 30),
    )
    # five numbers taken; the transfer adds a sixth leg
    assert (totals.issued, totals.legs, totals.called, totals.served) == (5, 6, 6, 4)
    assert (totals.no_shows, totals.transfers, totals.out_of_order_calls) == (1, 1, 1)
    # visitors' first waits: A001 10:00, B001 10:00, A002 17:00, A004 4:00, A003 11:00 (min:s)
    assert (totals.waiting.count, totals.waiting.total_seconds) == (5, 600 + 600 + 1020 + 240 + 660)
    assert totals.waiting.median_seconds == 600
    assert totals.waiting.max_seconds == 1020
    # walks: 1, 2, 1, 1, 1 minutes
    assert (totals.walking.count, totals.walking.total_seconds) == (5, 60 + 120 + 60 + 60 + 60)
    # handling: A001 8 min, B001 16 min (5 of them on hold), A003 10 min, A004's TAX leg 10 min
    assert (totals.handling.count, totals.handling.total_seconds) == (4, 480 + 960 + 600 + 600)
    assert (totals.hold.count, totals.hold.total_seconds) == (1, 300)

    soc, tax = m.service("SOC"), m.service("TAX")
    assert soc is not None and tax is not None
    assert (soc.issued, soc.called, soc.served, soc.no_shows, soc.transferred_out) == (
        4,
        4,
        2,
        1,
        1,
    )
    assert soc.waiting.total_seconds == 600 + 1020 + 240 + 660
    assert soc.service_level == 1.0
    assert (tax.issued, tax.transferred_in, tax.called, tax.served) == (1, 1, 2, 2)
    # the transferred leg waited from its transfer (09:50) to its call (09:55)
    assert tax.waiting.total_seconds == 600 + 300
    assert tax.handling.total_seconds == 960 + 600

    w1, w2, w3 = m.window(1), m.window(2), m.window(3)
    assert w1 is not None and w2 is not None and w3 is not None
    assert (w1.called, w1.served, w1.no_shows, w1.transferred_out, w1.out_of_order_calls) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert w1.paused_seconds == 45 * 60
    assert (w2.called, w2.served, w2.hold.total_seconds) == (2, 2, 300)
    assert w2.case_types == {"immediate": 1, "promised": 1}
    assert w3.days_staffed == 0 and w3.called == 0

    alice, bob = m.staff_member(script.alice), m.staff_member(script.bob)
    assert alice is not None and bob is not None
    assert (alice.served, alice.late, alice.early_leave, alice.off_post) == (2, 0, 1, 1)
    assert (bob.served, bob.late, bob.handling.total_seconds) == (2, 1, 960 + 600)

    incidents = {(i.kind, i.window, i.staff_no, i.minutes) for i in m.attendance}
    assert incidents == {
        ("late", 2, script.bob, 7),
        ("unattended", 2, script.bob, 7),  # 09:00-09:07 before the late sign-in
        ("off_post", 1, script.alice, 15),  # a 45-minute break, 30 allowed
        ("early_leave", 1, script.alice, 10),
        ("unattended", 1, script.alice, 10),  # 11:50-12:00
        ("unattended", 1, None, 240),  # the whole afternoon: nobody came to be named
    }
    assert all(i.event_seqs for i in m.attendance)

    assert [(o.window, o.staff_no, o.reason) for o in m.out_of_order] == [
        (1, script.alice, "elderly visitor, helped by the duty lead")
    ]
    assert [(r.window, r.staff_no, r.level, r.dissatisfied) for r in m.ratings] == [
        (1, script.alice, "very_dissatisfied", True),
        (2, script.bob, "satisfied", False),
    ]
    # due five working days after the 25th: not yet overdue when the month ends
    assert [(f.window, f.state, f.deadline, f.overdue) for f in m.follow_ups] == [
        (1, "open", date(2026, 12, 2), False)
    ]

    [case] = m.promised_cases
    assert (case.ticket_id, case.deadline, case.promised_working_days) == (
        script.promised_ticket,
        date(2026, 11, 30),
        3,
    )
    assert m.overdue_cases == []  # due on the month's last day

    # (hour, issued, called, served)
    assert [(h.hour, h.issued, h.called, h.served) for h in m.hours] == [
        (9, 5, 6, 2),
        (10, 0, 0, 2),
    ]
    assert sum(b.count for b in m.waiting_distribution) == 5
    assert [d.issued for d in m.days if d.day == date(2026, 11, 25)] == [5]


def test_an_open_promised_case_is_overdue_in_the_next_month(sqlite_url: str) -> None:
    clock = ManualClock(local(2026, 11, 25, 8, 0))
    services = make_services(sqlite_url, small_hall(), clock=clock)
    try:
        script = play_day(services, clock)
        clock.set(local(2026, 12, 3, 10, 0))  # Thursday: Dec 1, 2 and 3 are past the deadline
        december = ReportService(services.db, services.halls, clock).month_measures(HALL, "2026-12")
    finally:
        services.db.engine.dispose()
    [case] = december.overdue_cases
    assert (case.ticket_id, case.window, case.staff_no) == (script.promised_ticket, 2, script.bob)
    assert (case.overdue_working_days, case.concluded_on) == (3, None)
    assert december.promised_cases == []  # finished in November
