"""Every import in the code, function-level ones included, keeps the layers of
scripts/import_contracts.py (docs/architecture.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def contracts() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_contracts", ROOT / "scripts" / "import_contracts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_import_breaks_a_layer() -> None:
    c = contracts()
    edges, third = c.all_edges()
    assert len(edges) > 1000  # it did read the code
    assert c.broken(edges, third) == []


def test_every_module_has_a_layer() -> None:
    c = contracts()
    edges, _ = c.all_edges()
    assert [e.importer for e in edges if c.layer(e.importer) is None] == []
