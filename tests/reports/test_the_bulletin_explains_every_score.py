"""Every point of the month's scores is explained in the bulletin itself: the workbook's and the
CSV's "score reasons" list each deduction and bonus with its part, points, reason, day and
the event, entry or complaint it rests on (docs/assessment.md): every point must be explainable."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.reports.bulletin import month_bulletin
from queue_server.reports.csv_files import render_csv
from queue_server.reports.scores import load_scores
from queue_server.reports.xlsx import render_xlsx
from queue_server.services.event_log import Actor
from queue_server.services.manual_entries import ManualEntryService, NewEntry
from queue_server.services.reports import ReportService
from tests.assessment.month_support import assessment
from tests.support.auth import staff_login
from tests.support.factories import local


def test_each_deduction_and_bonus_is_listed_with_its_evidence(
    services: Services, clock: ManualClock
) -> None:
    clerk = staff_login(services, Role.CLERK)
    supervisor = Actor(clerk=staff_login(services, Role.SUPERVISOR).user_id)
    entries = ManualEntryService(services.db, services.halls, services.clock)
    clock.set(local(2026, 11, 20, 10, 0))
    quarrel, _ = entries.add(
        "test", NewEntry("quarrel", date(2026, 11, 19), "与群众争吵", clerk.staff_no, 1), supervisor
    )
    thanks, _ = entries.add(
        "test", NewEntry("letter_of_thanks", date(2026, 11, 19), "感谢信", clerk.staff_no, 1),
        supervisor,
    )  # fmt: skip
    clock.set(local(2026, 12, 1, 9, 0))
    assessment(services).run_month("test", "2026-11", supervisor)

    measures = ReportService(services.db, services.halls, services.clock).month_measures(
        "test", "2026-11"
    )
    scores = load_scores(services.db, services.halls, services.clock, "test", "2026-11")
    assert scores is not None
    bulletin = month_bulletin(measures, clock.now(), scores)

    book = load_workbook(io.BytesIO(render_xlsx(bulletin)))
    rows = list(book["score reasons"].iter_rows(min_row=3, values_only=True))
    staff = [r for r in rows if r[0] == "工作人员 staff" and r[1] == clerk.staff_no]
    by_evidence = {r[6]: r for r in staff}
    assert by_evidence[f"entry:{quarrel.id}"][2:4] == ("德", -2.0)  # Chinese part names
    assert by_evidence[f"entry:{thanks.id}"][3] == 2.0
    assert all(r[4] and r[5] for r in staff)  # a reason and a day on every line
    window = [r for r in rows if r[0] == "窗口 window" and r[1] == "1"]
    assert f"entry:{quarrel.id}" in {r[6] for r in window}  # the quarrel costs the window too

    files = render_csv(bulletin)
    [name] = [n for n in files if "score_reasons" in n]
    listed = list(csv.reader(io.StringIO(files[name].decode("utf-8-sig"))))
    # published files list the same lines without the internal evidence (XLSX keeps it)
    assert len(listed) == 1 + len(rows)
    assert "依据 Evidence" not in listed[0]
    assert not any("entry:" in cell for row in listed for cell in row)
