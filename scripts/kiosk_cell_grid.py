"""Measure the kiosk's terminal cell grid with the real parts: cage + foot + the kiosk's font.

    python scripts/kiosk_cell_grid.py [--config systemd/foot-kiosk.ini]

wlroots' headless backend only makes 1280x720 outputs, so the script measures there, in
landscape and (cage -r) portrait: foot logs its cell size in pixels, and a probe run inside
foot writes `stty size`. From the cell size and foot's margin (checked against both
measurements) it works out the grid of the hall's 1920x1080 and 1080x1920 panels.

cage refuses to run as root; as root the script runs cage as `nobody` (setpriv).
Prints a JSON object; exits 1 when the parts are missing or the measurement disagrees.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HEADLESS = (1280, 720)  # the only output size of wlroots' headless backend
PANELS = {"landscape 1920x1080": (1920, 1080), "portrait 1080x1920": (1080, 1920)}
CELL = re.compile(r"cell width=(\d+), height=(\d+)")
PAD = re.compile(r"^pad=(\d+)x\d+", re.MULTILINE)
# cage resizes foot once it maps the window: the probe waits for that first.
PROBE = "#!/bin/sh\nsleep 2\nstty size > {out}\n"


def run_once(config: Path, rotate: bool, work: Path) -> tuple[int, int, int, int]:
    """(columns, rows, cell width px, cell height px) of foot fullscreen in headless cage."""
    out = work / "size.txt"
    out.unlink(missing_ok=True)
    probe = work / "probe.sh"
    probe.write_text(PROBE.format(out=out))
    probe.chmod(0o755)
    runtime = work / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(work),
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_HEADLESS_OUTPUTS": "1",
    }
    command = ["cage", "-d", *(["-r"] if rotate else []), "--"]
    command += ["foot", f"--config={config}", "--", str(probe)]
    if os.geteuid() == 0:
        nobody = 65534
        os.chown(work, nobody, nobody)
        os.chown(runtime, nobody, nobody)
        command = ["setpriv", f"--reuid={nobody}", f"--regid={nobody}", "--clear-groups", *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    log = done.stdout + done.stderr
    cell = CELL.findall(log)
    if not out.exists() or not cell:
        raise SystemExit(f"cage/foot did not report a size (exit {done.returncode}):\n{log}")
    rows, columns = (int(v) for v in out.read_text().split())
    width, height = (int(v) for v in cell[-1])
    return columns, rows, width, height


def grid(pixels: tuple[int, int], cell: tuple[int, int], margin: int) -> tuple[int, int]:
    return (pixels[0] - 2 * margin) // cell[0], (pixels[1] - 2 * margin) // cell[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path("systemd/foot-kiosk.ini"))
    args = parser.parse_args()
    missing = [b for b in ("cage", "foot", "Xwayland") if shutil.which(b) is None]
    if missing:
        print(f"missing: {' '.join(missing)} (scripts/system-deps.sh)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="hallq-cells-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        config = work / "foot.ini"
        config.write_text(args.config.read_text())
        landscape = run_once(config, False, work)
        portrait = run_once(config, True, work)
    cell = landscape[2:]
    measured = {
        f"{HEADLESS[0]}x{HEADLESS[1]}": landscape[:2],
        f"{HEADLESS[1]}x{HEADLESS[0]}": portrait[:2],
    }
    # foot keeps a margin (its `pad`, 2 px unless the config says) round the grid.
    pad = PAD.search(args.config.read_text())
    margin = int(pad.group(1)) if pad else 2
    if (grid(HEADLESS, cell, margin), grid(HEADLESS[::-1], cell, margin)) != (
        landscape[:2],
        portrait[:2],
    ):
        print(f"cell {cell} and pad {margin} do not explain {measured}", file=sys.stderr)
        return 1
    result = {
        "config": str(args.config),
        "cell_px": list(cell),
        "margin_px": margin,
        "measured": {k: list(v) for k, v in measured.items()},
        "panels": {k: list(grid(v, cell, margin)) for k, v in PANELS.items()},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
