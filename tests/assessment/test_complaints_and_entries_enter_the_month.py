"""Upheld complaints and manual entries in force become explained lines of the month; a
reversed entry and a complaint not upheld cost nothing; two upheld in a row raise a flag."""

from __future__ import annotations

from datetime import date

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.assessment.complaints import Channel
from queue_server.domain.assessment.facts import Ref, RefKind
from queue_server.domain.clock import ManualClock
from queue_server.services.complaints import ComplaintService, NewComplaint
from queue_server.services.event_log import Actor
from queue_server.services.manual_entries import ManualEntryService, NewEntry
from tests.assessment.month_support import assessment
from tests.support.auth import staff_login
from tests.support.factories import local


def _decided(services: Services, by: Actor, staff_no: str, upheld: bool) -> str:
    complaints = ComplaintService(services.db, services.halls, services.clock)
    view, _ = complaints.register(
        "test", NewComplaint(Channel.PHONE, "态度差", window=1, staff_no=staff_no), by
    )
    complaints.pass_to_window("test", view.id, by)
    complaints.answer("test", view.id, "已答复", by)
    complaints.close("test", view.id, upheld, "核实", by)
    return view.id


def test_a_month_with_complaints_and_entries(services: Services, clock: ManualClock) -> None:
    clerk = staff_login(services, Role.CLERK)
    supervisor = Actor(clerk=staff_login(services, Role.SUPERVISOR).user_id)
    entries = ManualEntryService(services.db, services.halls, services.clock)
    clock.set(local(2026, 10, 28, 10, 0))
    october = _decided(services, supervisor, clerk.staff_no, upheld=True)
    clock.set(local(2026, 11, 20, 10, 0))
    _decided(services, supervisor, clerk.staff_no, upheld=False)
    upheld = _decided(services, supervisor, clerk.staff_no, upheld=True)
    praise, _ = entries.add(
        "test",
        NewEntry("media_praise_city", date(2026, 11, 18), "市报表扬", staff_no=clerk.staff_no),
        supervisor,
    )
    entries.add(
        "test", NewEntry("letter_of_thanks", date(2026, 11, 19), "感谢信", clerk.staff_no, 1),
        supervisor,
    )  # fmt: skip
    wrong, _ = entries.add(
        "test", NewEntry("serious_quarrel", date(2026, 11, 19), "争吵", clerk.staff_no, 1),
        supervisor,
    )  # fmt: skip
    entries.reverse("test", wrong.id, "核实并非本人", supervisor)

    clock.set(local(2026, 12, 1, 9, 0))
    result = assessment(services).run_month("test", "2026-11", supervisor).result
    graded = result.staff_member(clerk.staff_no)
    conduct = graded.score.part("conduct")
    assert [(x.kind, x.points, x.refs) for x in conduct.lines] == [
        ("complaint_upheld", -2, (Ref(RefKind.COMPLAINT, upheld),))
    ]
    assert [(x.kind, x.points) for x in graded.score.bonus_lines] == [
        ("media_praise_city", 6),
        ("letter_of_thanks", 2),
    ]
    assert graded.score.bonus_lines[0].refs == (Ref(RefKind.ENTRY, praise.id),)
    assert graded.score.total == 106
    window = result.window(1)
    assert window.score.part("quality").score == 55
    assert (window.score.bonus, window.score.total) == (2, 97)
    # October's upheld complaint and November's are separated by one not upheld: no flag.
    assert result.flags == ()
    assert october


def test_two_upheld_complaints_in_a_row_flag_the_clerk(
    services: Services, clock: ManualClock
) -> None:
    clerk = staff_login(services, Role.CLERK)
    supervisor = Actor(clerk=staff_login(services, Role.SUPERVISOR).user_id)
    clock.set(local(2026, 10, 28, 10, 0))
    first = _decided(services, supervisor, clerk.staff_no, upheld=True)
    clock.set(local(2026, 11, 20, 10, 0))
    second = _decided(services, supervisor, clerk.staff_no, upheld=True)
    clock.set(local(2026, 12, 1, 9, 0))
    result = assessment(services).run_month("test", "2026-11", supervisor).result
    assert [(f.staff_no, f.kind, f.refs) for f in result.flags] == [
        (
            clerk.staff_no,
            "complaints_in_a_row",
            (Ref(RefKind.COMPLAINT, first), Ref(RefKind.COMPLAINT, second)),
        )
    ]
