"""Screenshots of the hall board with the example hall, for docs/ (`make screenshots`).

A real server on loopback with a busy floor (tests/support/board_halls.py), headless Chromium
at the board sizes of docs/devices.md. Run from the checkout: python scripts/board_screenshots.py
"""

from __future__ import annotations

import base64
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from queue_server.api.app import create_app  # noqa: E402
from queue_server.config.loader import load_hall_config  # noqa: E402
from queue_server.domain.clock import ManualClock  # noqa: E402
from queue_server.storage.engine import make_engine  # noqa: E402
from queue_server.storage.migrate import upgrade  # noqa: E402
from tests.live.helpers import quick_settings  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.auth import duty_lead_headers  # noqa: E402
from tests.support.board_halls import EXAMPLE, busy_floor  # noqa: E402
from tests.support.browser import Page, chromium_page  # noqa: E402
from tests.support.factories import OPEN_MORNING, make_services  # noqa: E402
from tests.support.live_server import live_server  # noqa: E402
from tests.support.screens import Screen, set_screen  # noqa: E402

SHOTS = [Screen("landscape", 1920, 1080), Screen("portrait", 1080, 1920)]


def wait(page: Page, expression: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"(() => {{ try {{ return {expression}; }} catch {{ }} }})()"):
        if time.monotonic() > deadline:
            raise SystemExit(f"the board never got to: {expression}")
        time.sleep(0.1)


def main(out: Path = ROOT / "docs") -> None:
    config = load_hall_config(EXAMPLE)
    with tempfile.TemporaryDirectory(prefix="hallq-shots-") as folder:
        database = Path(folder) / "hallq.sqlite3"
        engine = make_engine(f"sqlite:///{database}")
        upgrade(engine)
        engine.dispose()
        services = make_services(f"sqlite:///{database}", config, clock=ManualClock(OPEN_MORNING))
        app = create_app(services, quick_settings(voice_dir=Path(folder)))
        with live_server(app) as server:
            api = Api(server.url, config.hall.id, duty_lead_headers(services, config.hall.id))
            busy_floor(api, config)
            with chromium_page(f"{server.url}/board/{config.hall.id}", width=1920) as page:
                wait(page, "window.hallqBoard && window.hallqBoard.connected")
                wait(page, "document.getElementById('hall-en').textContent !== ''")
                wait(page, "document.fonts.status === 'loaded'")
                for screen in SHOTS:
                    set_screen(page, screen)
                    time.sleep(7)  # past the flash of the last calls
                    page.evaluate("window.hallqBoard.holdPages()")
                    page.evaluate("window.hallqBoard.showPage(0)")
                    shot = page.send("Page.captureScreenshot", {"format": "png"})
                    target = out / f"board-{screen.width}x{screen.height}.png"
                    target.write_bytes(base64.b64decode(shot["data"]))
                    print(f"wrote {target}")
            api.http.close()
        services.db.engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
