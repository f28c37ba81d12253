"""A `[haocha]` section that cannot be reported with is refused when the hall file loads."""

from __future__ import annotations

import pytest

from queue_server.config.loader import ConfigError, parse_hall_config
from tests.support.factories import SMALL_HALL

ITEMS = """
[haocha.items]
SOC = {{ code = "S-1", department = "人社" }}
TAX = {{ code = "T-1", department = "税务" }}
{res}
"""
RES = 'RES = { code = "R-1", department = "不动产" }'


def _hall(haocha: str, items: str = ITEMS.format(res=RES)) -> str:
    base = SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")
    return base + "\n[haocha]\n" + haocha + "\n" + items


ENABLED = 'enabled = true\nendpoint = "https://hcp.example/push"\nsecret_file = "/s"\n'


def test_a_complete_section_loads() -> None:
    config = parse_hall_config(_hall(ENABLED))
    assert config.haocha.enabled and config.haocha.items["RES"].code == "R-1"


@pytest.mark.parametrize(
    ("haocha", "items", "problem"),
    [
        (ENABLED, ITEMS.format(res=""), "services without an item (事项编码): ['RES']"),
        (
            "",
            ITEMS.format(res=RES + '\nXYZ = { code = "X", department = "x" }'),
            "items for unknown services ['XYZ']",
        ),
        (ENABLED + 'fields = { record_id = "id", lvl = "x" }\n', None, "unknown field names"),
        (
            ENABLED + 'fields = { record_id = "id", evaluation_id = "id" }\n',
            None,
            "province field names used twice: ['id']",
        ),
        (
            ENABLED + 'levels = { very_satisfied = "5", satisfied = "5", basically_satisfied = '
            '"3", dissatisfied = "2", very_dissatisfied = "1" }\n',
            None,
            "level codes used twice: ['5']",
        ),
        ('endpoint = "https://hcp.example/push"\n', None, "endpoint needs secret_file"),
        ("enabled = true\n", None, "enabled = true needs an endpoint"),
        ('signature = "md5"\n', None, "signature"),
    ],
)
def test_a_section_that_cannot_be_reported_with_is_refused(
    haocha: str, items: str | None, problem: str
) -> None:
    text = _hall(haocha) if items is None else _hall(haocha, items)
    with pytest.raises(ConfigError) as refused:
        parse_hall_config(text)
    assert problem in str(refused.value)
