"""Receipt printing cost on the kiosk: layout and rendering to ESC/POS bytes (Dummy).

Run: .venv/bin/python bench/bench_receipt.py [--iterations N]

Stages per receipt:
  layout  - Receipt -> blocks (pure Python)
  raster  - blocks -> 1-bit images (font drawing, wrapping, QR)
  escpos  - images -> ESC/POS bytes through python-escpos Dummy
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printers.blocks import paper_for
from printers.fonts import default_fonts
from printers.layout import escpos_bytes, layout_receipt
from printers.raster import rasterize
from printers.receipt import Receipt

T = TypeVar("T")


def sample_receipt(i: int) -> Receipt:
    return Receipt(
        hall_name="某某市政务服务中心",
        hall_name_en="Municipal Government Service Centre",
        number=f"A{i % 1000:03d}",
        service_name="不动产登记",
        service_name_en="Real estate registration",
        ahead=i % 40,
        issued_at=datetime(2024, 5, 6, 9, 0, tzinfo=timezone(timedelta(hours=8)))
        + timedelta(minutes=i % 480),
        windows=["3号窗口", "5号窗口"],
        materials=[
            "申请人身份证原件及复印件（正反面）",
            "不动产权属证书",
            "购房合同原件一份，复印件两份（加盖公章）",
            "委托书（委托办理时提供）",
        ],
        status_url=f"https://hall.example.gov.cn/q/A{i % 1000:03d}?d=20240506",
        kind_label="绿色通道" if i % 5 == 0 else None,
        estimated_wait="12-18 分钟",
    )


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return (
        f"mean {statistics.fmean(ms):7.2f} ms  p50 {statistics.median(ms):7.2f} ms  "
        f"p99 {p99:7.2f} ms"
    )


def timed(fn: Callable[..., T], *args: Any) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    fonts = default_fonts()
    print(f"font: {fonts.regular.spec()}  iterations: {args.iterations}")
    for width_mm in (58, 80):
        paper = paper_for(width_mm)
        rasterize(layout_receipt(sample_receipt(0)), paper, fonts)  # warm font caches
        stages: dict[str, list[float]] = {"layout": [], "raster": [], "escpos": [], "total": []}
        size = 0
        for i in range(args.iterations):
            receipt = sample_receipt(i)
            t_layout, blocks = timed(layout_receipt, receipt)
            t_raster, rendered = timed(rasterize, blocks, paper, fonts)
            t_escpos, data = timed(escpos_bytes, rendered)
            stages["layout"].append(t_layout)
            stages["raster"].append(t_raster)
            stages["escpos"].append(t_escpos)
            stages["total"].append(t_layout + t_raster + t_escpos)
            size = len(data)
        print(f"\n{width_mm} mm ({paper.dots} dots), job {size / 1024:.1f} KiB")
        for name, samples in stages.items():
            print(f"  {name:<7} {summary(samples)}")


if __name__ == "__main__":
    main()
