"""The contract check on a small tree: a back edge, a function-level import, a framework in
the domain and a stale KNOWN entry are all reported; an allowed edge is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.test_the_code_keeps_its_layers import contracts


def write(root: Path, module: str, text: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(root).parents:
        if str(parent) != ".":
            (root / parent / "__init__.py").touch()
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path, "queue_server.domain.rules", "X = 1\n")
    write(tmp_path, "queue_server.storage.tables", "from queue_server.domain import rules\n")
    write(tmp_path, "queue_server.services.tickets", "from ..storage import tables\n")
    write(tmp_path, "queue_server.api.routes", "from queue_server.services.tickets import x\n")
    write(tmp_path, "hallq_client.api", "import httpx\n")
    write(tmp_path, "kiosk.app", "from hallq_client.api import Client\n")
    return tmp_path


def test_the_allowed_edges_pass(tree: Path) -> None:
    c = contracts()
    assert c.broken(*c.all_edges(tree), known={}) == []


def test_a_function_level_back_edge_fails(tree: Path) -> None:
    write(
        tree,
        "queue_server.domain.rules",
        "def f() -> None:\n    from queue_server.services import tickets\n",
    )
    c = contracts()
    [problem] = c.broken(*c.all_edges(tree), known={})
    assert problem.startswith(
        "queue_server.domain.rules (domain) imports queue_server.services.tickets (services)"
    )


def test_a_framework_in_the_domain_fails(tree: Path) -> None:
    write(tree, "queue_server.domain.rules", "import sqlalchemy\n")
    c = contracts()
    assert c.broken(*c.all_edges(tree), known={}) == [
        "queue_server.domain.rules (domain) imports sqlalchemy at line 1"
    ]


def test_an_app_importing_the_other_app_or_the_server_fails(tree: Path) -> None:
    write(tree, "window_display.app", "X = 1\n")
    write(tree, "kiosk.app", "import window_display.app\nfrom queue_server.domain import rules\n")
    c = contracts()
    problems = c.broken(*c.all_edges(tree), known={})
    assert [p.split(" at ")[0] for p in problems] == [
        "kiosk.app (kiosk) imports window_display.app (window)",
        "kiosk.app (kiosk) imports queue_server.domain.rules (domain)",
    ]


def test_a_known_edge_the_code_no_longer_has_must_leave_the_list(tree: Path) -> None:
    c = contracts()
    known = {("queue_server.services.tickets", "queue_server.api"): "x"}
    assert c.broken(*c.all_edges(tree), known=known) == [
        "KNOWN lists queue_server.services.tickets -> queue_server.api, "
        "which the code no longer has: remove it"
    ]


def test_a_known_edge_passes_while_the_code_has_it(tree: Path) -> None:
    write(tree, "queue_server.services.tickets", "from queue_server.api import routes\n")
    c = contracts()
    known = {("queue_server.services.tickets", "queue_server.api.routes"): "x"}
    assert c.broken(*c.all_edges(tree), known=known) == []
