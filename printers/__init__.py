"""Receipt printing for the kiosk and the windows: layout, transports, status, faults.

Knows receipts and printers only; nothing here imports the queue server or the apps.
"""

from printers.fonts import FontNotFound, FontSet, default_fonts, fonts_from_file
from printers.layout import (
    escpos_bytes,
    layout_notice_slip,
    layout_receipt,
    print_document,
    render,
    write_escpos,
)
from printers.preview import document_image, write_document_png, write_receipt_png
from printers.receipt import Document, NoticeSlip, Receipt
from printers.status import PrinterStatus, poll_status
from printers.transports import (
    PrinterConfig,
    PrinterUnreachable,
    Transport,
    TransportError,
    make_transport,
)
from printers.worker import JobResult, NothingToReprint, PrintJob, PrintWorker

__all__ = [
    "Document",
    "FontNotFound",
    "FontSet",
    "JobResult",
    "NothingToReprint",
    "NoticeSlip",
    "PrintJob",
    "PrintWorker",
    "PrinterConfig",
    "PrinterStatus",
    "PrinterUnreachable",
    "Receipt",
    "Transport",
    "TransportError",
    "default_fonts",
    "document_image",
    "escpos_bytes",
    "fonts_from_file",
    "layout_notice_slip",
    "layout_receipt",
    "make_transport",
    "poll_status",
    "print_document",
    "render",
    "write_document_png",
    "write_escpos",
    "write_receipt_png",
]
