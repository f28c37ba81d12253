"""docs/access.md is what an administrator reads to know who may do what; a route added to
the rule table but not to the page would be a permission nobody was told about."""

from __future__ import annotations

from pathlib import Path

from queue_server.api.access import RULES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def test_every_route_with_a_rule_is_named_on_the_access_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    unnamed = sorted(name for name in RULES if f"`{name}`" not in page)
    assert unnamed == [], f"docs/access.md does not name these routes: {unnamed}"
