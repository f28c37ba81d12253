"""What the code says about event kinds, read from its text (shared by the catalogue tests)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("queue_server", "kiosk", "window_display", "printers", "hallq_client", "hallq")
# Message kinds of the booking outbox (SMS), not of the event log.
NOT_EVENT_LOG = {ROOT / "queue_server" / "services" / "bookings" / "outbox.py"}
DOTTED = re.compile(r"[a-z_]+\.[a-z_]+")
FILE_SUFFIXES = {"js", "css", "html", "toml", "tcss", "py", "json", "png", "svg", "wav", "ogg"}


def python_files(root: Path) -> Iterator[Path]:
    for package in CODE:
        yield from sorted((root / package).rglob("*.py"))


def dotted_texts(families: set[str], root: Path = ROOT) -> Iterator[tuple[Path, int, str]]:
    """Every string literal shaped like an event kind of a catalogued family, in Python and
    in the web pages' scripts."""

    def kind_like(text: str) -> bool:
        family, _, rest = text.partition(".")
        return bool(DOTTED.fullmatch(text)) and family in families and rest not in FILE_SUFFIXES

    for path in python_files(root):
        if path in NOT_EVENT_LOG or path.name == "event_kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and kind_like(node.value)
            ):
                yield path, node.lineno, node.value
    for path in sorted((root / "queue_server" / "web").rglob("*.js")):
        if path.name == "event_kinds.js":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for text in re.findall(r"[\"']([a-z_]+\.[a-z_]+)[\"']", line):
                if kind_like(text):
                    yield path, number, text


def kinds_named(path: Path) -> set[str]:
    """The EventKind members a module names (EventKind.TICKET_CALLED -> TICKET_CALLED)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "EventKind"
        ):
            found.add(node.attr)
    return found


def kinds_spelt_in_pages(kinds: set[str], root: Path = ROOT) -> Iterator[tuple[Path, int, str]]:
    """Every quoted catalogued kind ("ticket.called", 'x', `x`) in the pages' scripts and
    HTML, outside the generated event_kinds.js: a page names a kind as `KIND.<NAME>`."""
    quoted = re.compile(r"[\"'`]([a-z_]+\.[a-z_]+)[\"'`]")
    web = root / "queue_server" / "web"
    for path in sorted([*web.rglob("*.js"), *web.rglob("*.html")]):
        if path.name == "event_kinds.js":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for text in quoted.findall(line):
                if text in kinds:
                    yield path, number, text
