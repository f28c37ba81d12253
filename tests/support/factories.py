"""Shared factories: a small test hall, clocks at known local times, a services bundle."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from queue_server.api.app import build_services
from queue_server.api.deps import Services
from queue_server.config.loader import parse_hall_config, validate_hall_config
from queue_server.config.models import HallConfig
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.clock import ManualClock
from tests.support.auth import FAST_HASHER

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEST_ID_KEY = b"test-key-of-the-id-number-hash-0123456789"
# tests/conftest.py writes it to HALLQ_CHAIN_KEY_FILE, so servers and commands run by the
# tests key the chain as the in-process services do.
TEST_CHAIN_KEY = b"test-key-of-the-event-chain-0123456789abcdef"

SMALL_HALL = """
[hall]
id = "{hall_id}"
name = {{ zh = "测试大厅", en = "Test hall" }}
timezone = "Asia/Shanghai"
holidays = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
makeup_working_days = ["2026-10-10"]
issue_cutoff_minutes = 30

[call_policy]
guard_minutes = {guard}
max_recalls = 2
{ratio}

[[services]]
code = "SOC"
name = {{ zh = "社保", en = "Social insurance" }}
prefix = "A"
default_handling_minutes = 6
{cap}
[services.publics]
content = {{ zh = "社保业务" }}
materials = [{{ zh = "身份证", en = "ID card" }}]
time_limit_days = 0

[[services]]
code = "TAX"
name = {{ zh = "税务", en = "Tax" }}
prefix = "B"
[services.publics]
content = {{ zh = "税务业务" }}
time_limit_days = 3

[[services]]
code = "RES"
name = {{ zh = "不动产", en = "Real estate" }}
prefix = "C"
green_channel = false
[services.publics]
content = {{ zh = "不动产登记" }}
time_limit_days = 5

[[windows]]
number = 1
name = {{ zh = "一号窗口" }}
services = {{ SOC = 3, TAX = 1 }}

[[windows]]
number = 2
name = {{ zh = "二号窗口" }}
services = {{ TAX = 3 }}

[[windows]]
number = 3
name = {{ zh = "三号窗口" }}
services = {{ RES = 1, SOC = 1 }}
"""


def small_hall(
    hall_id: str = "test",
    *,
    guard: int = 20,
    ratio: tuple[int, int] | None = None,
    daily_cap: int | None = None,
    extra_windows: int = 0,
) -> HallConfig:
    """Three services (SOC/A, TAX/B, RES/C), three windows; more SOC windows on request."""
    text = SMALL_HALL.format(
        hall_id=hall_id,
        guard=guard,
        ratio=f"priority_ratio = [{ratio[0]}, {ratio[1]}]" if ratio else "",
        cap=f"daily_cap = {daily_cap}" if daily_cap else "",
    )
    for number in range(4, 4 + extra_windows):
        text += (
            f'\n[[windows]]\nnumber = {number}\nname = {{ zh = "{number}号窗口" }}\n'
            "services = { SOC = 1, TAX = 1 }\n"
        )
    return parse_hall_config(text, "<small hall>")


def example_hall(**hall: object) -> HallConfig:
    """The shipped example hall (12 services, 8 windows), with keys of [hall] replaced."""
    raw = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw["hall"].update(hall)
    return validate_hall_config(raw, "<example hall>")


def local(*args: int) -> datetime:
    """An instant given as the hall's local wall-clock time (Asia/Shanghai)."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


# Wednesday 25 November 2026, 10:00 in the hall: a working day, inside the morning session.
OPEN_MORNING = local(2026, 11, 25, 10, 0)


def make_services(
    database_url: str, *halls: HallConfig, clock: ManualClock | None = None, **kw: Any
) -> Services:
    # Cheap argon2 parameters: tests create many accounts (tests.support.auth).
    kw.setdefault("password_hasher", FAST_HASHER)
    kw.setdefault("id_key", TEST_ID_KEY)  # not var/hallq-id.key of the checkout
    kw.setdefault("chain_key", TEST_CHAIN_KEY)
    return build_services(
        database_url, list(halls) or [small_hall()], clock or ManualClock(OPEN_MORNING), **kw
    )


def ticket_row(n: int, issued_at: datetime, **changes: Any) -> dict[str, Any]:
    """The values of a waiting SOC ticket A{n:03d} of hall "test", for a test that writes its
    rows with a statement of its own; taken n minutes after `issued_at` unless `changes` say."""
    return {
        "id": f"t{n}",
        "hall_id": "test",
        "service_code": "SOC",
        "business_day": date(2026, 11, 30),
        "prefix": "A",
        "seq_no": n,
        "number": f"A{n:03d}",
        "priority": "normal",
        "state": "waiting",
        "recall_count": 0,
        "issued_at": issued_at,
        "order_at": issued_at + timedelta(minutes=n),
        "called_at": None,
        "target_window": None,
    } | changes
