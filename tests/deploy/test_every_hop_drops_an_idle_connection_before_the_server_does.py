"""A kept-alive connection must be let go of by the side that would send on it before the
server closes it: a request sent in the instant the server closes an idle connection is lost.
The screens' client then sees "Server disconnected" (a red CI run, 6 December 2026), and nginx,
which does not send a POST again, answers 502 to a kiosk's ticket or a clerk's call. So the
documented proxy and the client each keep an idle connection for less time than `hallq serve`
does; tests/reliability/test_tls_proxy_passes_the_real_client_address.py runs that proxy
configuration for real (nginx -t accepts it)."""

from __future__ import annotations

import re
from pathlib import Path

from hallq.cli.serve import KEEP_ALIVE_SECONDS
from hallq_client.api import KEEPALIVE_SECONDS as CLIENT_SECONDS

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-hallq.conf"
UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "": 1.0}


def upstream_idle_seconds(conf: str) -> float:
    """The `keepalive_timeout` of the site's upstream block; nginx's default (60 s) if none."""
    block = re.search(r"^upstream\s+\w+\s*\{(.*?)^\}", conf, re.M | re.S)
    assert block, "the site names no upstream"
    lines = [line.split("#")[0] for line in block.group(1).splitlines()]
    found = re.search(r"keepalive_timeout\s+(\d+)(ms|s|m)?\s*;", "\n".join(lines))
    if found is None:
        return 60.0
    return int(found.group(1)) * UNITS[found.group(2) or ""]


def test_the_documented_proxy_lets_go_first() -> None:
    idle = upstream_idle_seconds(SITE.read_text(encoding="utf-8"))
    assert idle < KEEP_ALIVE_SECONDS, (idle, KEEP_ALIVE_SECONDS)


def test_the_screens_client_lets_go_first() -> None:
    assert CLIENT_SECONDS < KEEP_ALIVE_SECONDS


def test_it_reads_what_nginx_would() -> None:
    assert upstream_idle_seconds("upstream a {\n    server x;\n}\n") == 60.0
    assert upstream_idle_seconds("upstream a {\n  keepalive_timeout 1500ms;\n}\n") == 1.5
    commented = "upstream a {\n  # keepalive_timeout 4s;\n}\n"
    assert upstream_idle_seconds(commented) == 60.0
