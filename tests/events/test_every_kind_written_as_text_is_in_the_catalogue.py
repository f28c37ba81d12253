"""A kind spelled as text anywhere (Python, the pages' scripts) must be a catalogued one: a
typo in a producer or a reader would otherwise drop events without a sound."""

from __future__ import annotations

from pathlib import Path

from queue_server.domain.events import EventKind
from tests.events.catalogue_scan import dotted_texts

FAMILIES = {k.value.split(".")[0] for k in EventKind}
# Dotted names of a catalogued family that are not event kinds.
NOT_KINDS = {"hall.timezone"}  # a check of `hallq deploy doctor`


def test_no_kind_outside_the_catalogue() -> None:
    known = {k.value for k in EventKind}
    strays = [
        (str(path), line, text)
        for path, line, text in dotted_texts(FAMILIES)
        if text not in known and text not in NOT_KINDS
    ]
    assert strays == []


def test_a_misspelt_kind_is_found(tmp_path: Path) -> None:
    (tmp_path / "queue_server" / "web").mkdir(parents=True)
    (tmp_path / "queue_server" / "calls.py").write_text('KIND = "ticket.calld"\n')
    (tmp_path / "queue_server" / "web" / "page.js").write_text(
        'if (kind === "window.pausd") load("board.js");\n'
    )
    found = [(path.name, line, text) for path, line, text in dotted_texts(FAMILIES, tmp_path)]
    assert found == [("calls.py", 1, "ticket.calld"), ("page.js", 1, "window.pausd")]
