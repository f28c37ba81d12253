"""The pages (board, floor, status, booking) name event kinds only through the generated
catalogue (`KIND.TICKET_CALLED` from /board/assets/event_kinds.js): a kind renamed in
queue_server/domain/events.py then changes in every page with the export, never in some."""

from __future__ import annotations

from pathlib import Path

from queue_server.domain.events import EventKind
from tests.events.catalogue_scan import kinds_spelt_in_pages

KINDS = {k.value for k in EventKind}


def test_no_page_names_a_kind_as_a_string() -> None:
    found = [(str(path), line, text) for path, line, text in kinds_spelt_in_pages(KINDS)]
    assert found == []


def test_a_kind_spelt_in_a_page_is_found(tmp_path: Path) -> None:
    web = tmp_path / "queue_server" / "web" / "floor"
    web.mkdir(parents=True)
    (web / "floor.js").write_text(
        'import { KIND } from "/board/assets/event_kinds.js";\n'
        "if (m.kind === KIND.TICKET_ISSUED) load();\n"
        "if (m.kind === `duty_log.written`) loadLog();\n"
    )
    (web / "event_kinds.js").write_text('export const KIND = { TICKET_ISSUED: "ticket.issued" };\n')
    found = [(p.name, line, text) for p, line, text in kinds_spelt_in_pages(KINDS, tmp_path)]
    assert found == [("floor.js", 3, "duty_log.written")]
