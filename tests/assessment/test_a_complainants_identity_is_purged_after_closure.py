"""The complainant's identity follows the complaint retention period counted from closure;
the facts the assessment needs (window, clerk, outcome, dates) stay."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.assessment.complaints import Channel
from queue_server.domain.clock import ManualClock
from queue_server.services.complaints import ComplaintService, NewComplaint
from queue_server.services.event_log import Actor
from queue_server.services.retention import RetentionService
from queue_server.storage.assessment_tables import Complaint
from tests.support.auth import staff_login


def test_identity_cleared_outcome_kept(services: Services, clock: ManualClock) -> None:
    by = Actor(clerk=staff_login(services, Role.SUPERVISOR).user_id)
    staff_login(services, Role.CLERK, staff_no="C0001")
    complaints = ComplaintService(services.db, services.halls, services.clock)
    new = NewComplaint(
        Channel.LETTER, "张三投诉：窗口拒收材料", "张三", "13812345678", "人民路1号", 2, "C0001"
    )
    kept, _ = complaints.register("test", new, by)
    closed, _ = complaints.register("test", new, by)
    complaints.pass_to_window("test", closed.id, by)
    complaints.answer("test", closed.id, "已答复张三", by)
    complaints.close("test", closed.id, True, "属实", by)
    clock.advance(timedelta(days=366))
    RetentionService(services.db, services.halls, clock).purge("test")
    with services.db.read() as session:
        purged = session.get(Complaint, closed.id)
        still_open = session.get(Complaint, kept.id)
    assert purged is not None and still_open is not None
    assert (purged.complainant_name, purged.complainant_phone, purged.complainant_address) == (
        None,
        None,
        None,
    )
    assert purged.content == "*" and purged.answer is None
    assert (purged.upheld, purged.window_no, purged.staff_no, purged.status) == (
        True,
        2,
        "C0001",
        "closed",
    )
    # An open complaint is never purged, however old.
    assert still_open.complainant_name == "张三"
