"""`hallq receipt preview`: a PNG of a sample receipt."""

from __future__ import annotations

import argparse

from hallq.cli.options import fail
from kiosk.receipts import sample_receipt
from printers import FontNotFound, write_receipt_png


def cmd_preview(args: argparse.Namespace) -> int:
    try:
        path = write_receipt_png(sample_receipt(args.lang), args.out, width_mm=args.width)
    except FontNotFound as exc:
        return fail(f"cannot draw Chinese: {exc}", 1)
    print(path)
    return 0
