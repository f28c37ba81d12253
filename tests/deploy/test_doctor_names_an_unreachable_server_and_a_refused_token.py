"""From a kiosk: a server address nobody answers at is named with the address; a token the
server does not know is named with its file."""

from __future__ import annotations

from pathlib import Path

from queue_server.api.deps import Services
from tests.deploy.installed import doctor, install, problems
from tests.support.live_server import LiveServer, free_port


def test_unreachable_server(tmp_path: Path) -> None:
    token = tmp_path / "t"
    token.write_text("whatever")
    root = tmp_path / "kiosk"
    url = f"http://127.0.0.1:{free_port()}"
    install(root, "kiosk", "--server", url, "--hall", "test", "--token-file", str(token),
            "--printer", f"preview:{tmp_path}/r")  # fmt: skip
    status, report = doctor(root)
    assert status == 1
    [found] = problems(report)
    assert found.startswith(f"PROBLEM  server: cannot reach the server at {url}")


def test_refused_token(server: LiveServer, services: Services, tmp_path: Path) -> None:
    token = tmp_path / "t"
    token.write_text("not-a-token-the-server-issued")
    root = tmp_path / "kiosk"
    install(root, "kiosk", "--server", server.url, "--hall", "test", "--token-file", str(token),
            "--printer", f"preview:{tmp_path}/r")  # fmt: skip
    status, report = doctor(root)
    assert status == 1
    [found] = problems(report)
    assert found.startswith("PROBLEM  device token kiosk-1: the server refuses the token in")
    assert "not-a-token" not in report
