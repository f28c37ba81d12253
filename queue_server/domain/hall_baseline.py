"""The hall file as the floor's baseline, and what a changed file changes.

The rule (docs/floor-monitor.md, "The hall file and the day's decisions"): the hall file is
the baseline of the floor — which windows exist and which services each calls with which
weights, every window open, issuing running for every service. What the duty lead decides on
the floor (a window's services, a window opened or closed, issuing stopped or resumed) holds
for the rest of that business day; the next business day starts from the baseline again. A
changed file applied to a running hall changes the baseline; a window or service the duty lead
decided about today keeps the decision until the day ends, and the change says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServiceBaseline:
    name_zh: str
    prefix: str


@dataclass(frozen=True)
class WindowBaseline:
    name_zh: str
    services: Mapping[str, int]


@dataclass(frozen=True)
class Arrangement:
    """What a hall file says about the floor: its services and windows."""

    name_zh: str
    name_en: str | None
    timezone: str
    services: Mapping[str, ServiceBaseline]
    windows: Mapping[int, WindowBaseline]

    def to_json(self) -> dict[str, Any]:
        return {
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "timezone": self.timezone,
            "services": {
                code: {"name_zh": s.name_zh, "prefix": s.prefix}
                for code, s in sorted(self.services.items())
            },
            "windows": {
                str(number): {"name_zh": w.name_zh, "services": dict(sorted(w.services.items()))}
                for number, w in sorted(self.windows.items())
            },
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Arrangement:
        return cls(
            name_zh=raw["name_zh"],
            name_en=raw.get("name_en"),
            timezone=raw["timezone"],
            services={
                code: ServiceBaseline(s["name_zh"], s["prefix"])
                for code, s in raw["services"].items()
            },
            windows={
                int(number): WindowBaseline(w["name_zh"], dict(w["services"]))
                for number, w in raw["windows"].items()
            },
        )

    def digest(self) -> str:
        """SHA-256 of the arrangement: comments and other sections of the file do not count."""
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One difference between two arrangements, e.g. ("window", "3", "services")."""

    subject: str  # "hall", "service" or "window"
    key: str
    what: str  # "added", "removed", "renamed", "prefix", "services", "timezone"
    was: Any = None
    now: Any = None

    def describe(self) -> str:
        if self.what in ("added", "removed"):
            return f"{self.subject} {self.key} {self.what}"
        return f"{self.subject} {self.key} {self.what}: {self.was!r} -> {self.now!r}"

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "key": self.key, "what": self.what,
                "was": self.was, "now": self.now}  # fmt: skip


def changes_between(old: Arrangement, new: Arrangement) -> list[Change]:
    found: list[Change] = []
    if (old.name_zh, old.name_en) != (new.name_zh, new.name_en):
        found.append(Change("hall", "name", "renamed", old.name_zh, new.name_zh))
    if old.timezone != new.timezone:
        found.append(Change("hall", "timezone", "timezone", old.timezone, new.timezone))
    for code in sorted(set(old.services) | set(new.services)):
        was, now = old.services.get(code), new.services.get(code)
        if was is None:
            found.append(Change("service", code, "added"))
        elif now is None:
            found.append(Change("service", code, "removed"))
        else:
            if was.name_zh != now.name_zh:
                found.append(Change("service", code, "renamed", was.name_zh, now.name_zh))
            if was.prefix != now.prefix:
                found.append(Change("service", code, "prefix", was.prefix, now.prefix))
    for number in sorted(set(old.windows) | set(new.windows)):
        wold, wnew = old.windows.get(number), new.windows.get(number)
        key = str(number)
        if wold is None:
            found.append(Change("window", key, "added"))
        elif wnew is None:
            found.append(Change("window", key, "removed"))
        else:
            if wold.name_zh != wnew.name_zh:
                found.append(Change("window", key, "renamed", wold.name_zh, wnew.name_zh))
            if dict(wold.services) != dict(wnew.services):
                found.append(
                    Change("window", key, "services", dict(wold.services), dict(wnew.services))
                )
    return found


@dataclass(frozen=True)
class DecidedToday:
    """The floor decisions of the current business day, by subject."""

    window_services: frozenset[int] = frozenset()
    window_open: frozenset[int] = frozenset()
    issuing: frozenset[str] = frozenset()


def conflicts(changes: list[Change], decided: DecidedToday) -> list[str]:
    """The file changes that today's floor decisions keep from taking effect until tomorrow."""
    found: list[str] = []
    for change in changes:
        if change.subject == "window" and change.what in ("services", "removed"):
            number = int(change.key)
            if number in decided.window_services:
                found.append(
                    f"window {number}: the file changes its services, but the duty lead set "
                    "them today; today's decision holds until the business day ends"
                )
        removed_service = change.subject == "service" and change.what == "removed"
        if removed_service and change.key in decided.issuing:
            found.append(
                f"service {change.key}: removed from the file, but the duty lead changed its "
                "issuing today; today's decision holds until the business day ends"
            )
    return found
