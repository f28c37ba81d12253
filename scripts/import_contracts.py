"""The layers of hallq, checked on every import in the code (function-level ones included).

    python scripts/import_contracts.py      # exit 1 and a list of the broken edges

domain imports nothing of ours and no framework; storage and config build on the domain;
the queue model (queue_server/queueing) on domain and config; services on those four; the
server's top (api, live, reports, simulation, deploy, the commands) on all of them. The
kiosk and the window apps reach the server only through hallq_client, and share only
printers, hallq.widgets and hallq.devices. docs/architecture.md draws it.

An edge that breaks a layer and cannot be removed yet is listed in KNOWN with what would
remove it. A new edge fails; so does a KNOWN entry the code no longer has (take it out).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("queue_server", "kiosk", "window_display", "printers", "hallq_client", "hallq")

# Most specific prefix first; every module of PACKAGES belongs to exactly one layer.
LAYER_OF: tuple[tuple[str, str], ...] = (
    ("queue_server.domain", "domain"),
    ("queue_server.storage", "storage"),
    ("queue_server.config", "config"),
    ("queue_server.settings", "config"),
    ("queue_server.queueing", "model"),  # the framework-free queue model and forecast
    ("queue_server.services", "services"),
    ("queue_server", "server"),  # api, live, reports, simulation, deploy, voice, web, commands
    ("hallq.widgets", "widgets"),
    ("hallq.devices", "devices"),  # device drivers: the kiosk reads with them, doctor probes
    ("hallq.roles", "shared"),  # plain names every role agrees on (no imports of ours)
    ("hallq", "entry"),  # the `hallq` command (hallq.cli*): dispatches to every role
    ("hallq_client", "client"),
    ("printers", "printers"),
    ("kiosk", "kiosk"),
    ("window_display", "window"),
)

ALLOWED: dict[str, frozenset[str]] = {
    "entry": frozenset(
        {"domain", "storage", "config", "model", "services", "server", "printers", "client"}
        | {"widgets", "devices", "kiosk", "window", "shared"}
    ),
    "domain": frozenset(),
    "storage": frozenset({"domain"}),
    "config": frozenset({"domain"}),
    "model": frozenset({"domain", "config"}),
    "services": frozenset({"domain", "storage", "config", "model"}),
    "server": frozenset(
        {"domain", "storage", "config", "model", "services", "printers", "client", "widgets"}
        | {"devices", "shared"}
    ),
    "kiosk": frozenset({"client", "printers", "widgets", "devices"}),
    "window": frozenset({"client", "printers", "widgets", "devices"}),
    "client": frozenset(),
    "printers": frozenset(),
    "widgets": frozenset(),
    "devices": frozenset(),
    "shared": frozenset(),
}

# Third-party packages a layer may not import (the hall's rules stay framework-free).
FORBIDDEN_THIRD_PARTY: dict[str, frozenset[str]] = {
    "domain": frozenset({"fastapi", "starlette", "sqlalchemy", "pydantic", "textual", "httpx"}),
    "model": frozenset({"fastapi", "starlette", "sqlalchemy", "textual", "httpx"}),
    "client": frozenset({"fastapi", "starlette", "sqlalchemy", "textual"}),
    "printers": frozenset({"fastapi", "starlette", "sqlalchemy", "textual", "httpx"}),
    "devices": frozenset({"fastapi", "starlette", "sqlalchemy", "textual", "httpx"}),
}

# (importer module, imported module): what would remove it.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int

    def key(self) -> tuple[str, str]:
        return self.importer, self.imported


def layer(module: str) -> str | None:
    for prefix, name in LAYER_OF:
        if module == prefix or module.startswith(prefix + "."):
            return name
    return None


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(path: Path, importer: str) -> Iterator[tuple[str, int]]:
    """Every module an import names, at any depth (inside functions and `if` blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, importer, is_package)
            for alias in node.names:
                # `from pkg import mod` names a module when pkg/mod exists
                yield (f"{base}.{alias.name}" if base else alias.name), node.lineno


def _existing(module: str, known_modules: set[str]) -> str:
    """`from a.b import name`: a.b.name when it is a module, else a.b."""
    if module in known_modules:
        return module
    parent = module.rpartition(".")[0]
    return parent if parent in known_modules else module


def all_edges(root: Path = ROOT) -> tuple[list[Edge], list[tuple[str, str, int]]]:
    """Imports between our modules, and third-party imports as (importer, package, line)."""
    files = {
        module_name(p, root): p
        for package in PACKAGES
        for p in sorted((root / package).rglob("*.py"))
    }
    known_modules = set(files)
    ours: list[Edge] = []
    third: list[tuple[str, str, int]] = []
    for importer, path in files.items():
        for name, line in imports(path, importer):
            top = name.split(".")[0]
            if top in PACKAGES:
                ours.append(Edge(importer, _existing(name, known_modules), line))
            else:
                third.append((importer, top, line))
    return ours, third


def broken(
    edges: list[Edge],
    third: list[tuple[str, str, int]],
    known: dict[tuple[str, str], str] | None = None,
) -> list[str]:
    """Layer violations not in `known` (KNOWN), and entries the code no longer has."""
    known = KNOWN if known is None else known
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for edge in edges:
        src, dst = layer(edge.importer), layer(edge.imported)
        if src is None or dst is None or src == dst or dst in ALLOWED[src]:
            continue
        if edge.key() in seen:
            continue  # one line per edge, however many names it imports
        seen.add(edge.key())
        if edge.key() not in known:
            problems.append(
                f"{edge.importer} ({src}) imports {edge.imported} ({dst}) at line {edge.line}"
            )
    for importer, package, line in third:
        src = layer(importer)
        if src is not None and package in FORBIDDEN_THIRD_PARTY.get(src, frozenset()):
            problems.append(f"{importer} ({src}) imports {package} at line {line}")
    for importer, imported in sorted(set(known) - seen):
        problems.append(
            f"KNOWN lists {importer} -> {imported}, which the code no longer has: remove it"
        )
    return problems


def main() -> int:
    problems = broken(*all_edges())
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} import(s) break the layers (scripts/import_contracts.py)")
        return 1
    print(f"import contracts: kept ({len(KNOWN)} known edge(s) left to remove)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
