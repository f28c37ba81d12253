"""Receipt and notice slip layouts, and their output as ESC/POS commands.

Chinese never goes to the printer as text: python-escpos's GB18030 text path breaks on
punctuation-only lines and depends on the printer's code pages, so every drawn line is a
1-bit raster image. Only the ASCII ticket number uses the printer's own font.
"""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import Dummy

from printers.blocks import Block, Number, Paper, Qr, Rule, Space, Text, paper_for
from printers.fonts import FontSet, default_fonts
from printers.raster import ImageSegment, NumberSegment, Rendered, rasterize
from printers.receipt import Document, Lang, NoticeSlip, Receipt
from printers.wrap import glue

MAX_MATERIALS = 5

LABELS: dict[str, tuple[str, str]] = {
    "number": ("您的号码", "Your number"),
    "ahead": ("前面等候", "Ahead"),
    "wait": ("预计等候", "Est. wait"),
    "windows": ("办理窗口", "Windows"),
    "issued": ("取号时间", "Issued"),
    "materials": ("请备齐以下材料", "Please bring"),
    "scan": ("扫码查看排队进度", "Scan to follow the queue"),
    "reprint": ("补打", "REPRINT"),
    "offline": ("离线取号", "ISSUED OFFLINE"),
    "unknown": ("暂无法估计", "unknown"),
    "offline_scan": ("网络恢复后可扫码查看进度", "Scan once the network is back"),
}


def label(key: str, lang: Lang) -> str:
    zh, en = LABELS[key]
    return f"{en} / {zh}" if lang == "en" else f"{zh} / {en}"


def _row(key: str, value: str, lang: Lang) -> Text:
    sep = ": " if lang == "en" else "："
    return Text(f"{label(key, lang)}{sep}{value}")


def _ahead(n: int, lang: Lang) -> str:
    if lang == "en":
        return f"{n} {'person' if n == 1 else 'people'}"
    return f"{n} 人"


def _more_materials(n: int, lang: Lang) -> str:
    zh, en = f"另有 {n} 项，详见办事指南", f"{n} more, see the service guide"
    return f"{en} / {zh}" if lang == "en" else f"{zh} / {en}"


def layout_receipt(receipt: Receipt, max_materials: int = MAX_MATERIALS) -> list[Block]:
    r, lang = receipt, receipt.lang
    blocks: list[Block] = [Text(r.hall_name, "large", bold=True, align="center")]
    if r.hall_name_en:
        blocks.append(Text(r.hall_name_en, "small", align="center"))
    blocks += [Rule(), Text(label("number", lang), "small", align="center"), Number(r.number)]
    if r.reprint:
        blocks += [
            Text(label("reprint", lang), "small", bold=True, align="center", inverse=True),
            Space(4),
        ]
    if r.kind_label:
        blocks += [Text(r.kind_label, "large", bold=True, align="center", inverse=True), Space(6)]
    blocks.append(Text(r.service_name, "large", bold=True, align="center"))
    if r.service_name_en:
        blocks.append(Text(r.service_name_en, "small", align="center"))
    if r.offline:
        # A clerk must tell an offline number at a glance; the kiosk knew no queue.
        blocks += [
            Space(4),
            Text(label("offline", lang), "small", bold=True, align="center", inverse=True),
            Rule(),
            _row("wait", label("unknown", lang), lang),
        ]
    else:
        blocks += [Rule(), _row("ahead", _ahead(r.ahead, lang), lang)]
        if r.estimated_wait:
            blocks.append(_row("wait", r.estimated_wait, lang))
    if r.windows:
        blocks.append(_row("windows", "、".join(glue(w) for w in r.windows), lang))
    blocks.append(_row("issued", glue(r.issued_at.strftime("%Y-%m-%d %H:%M")), lang))
    if r.materials:
        blocks += [Rule(), Text(label("materials", lang), bold=True)]
        shown = r.materials[:max_materials]
        blocks += [Text(m, prefix=f"{i}. ") for i, m in enumerate(shown, start=1)]
        if len(r.materials) > len(shown):
            blocks.append(Text(_more_materials(len(r.materials) - len(shown), lang), "small"))
    scan = label("offline_scan" if r.offline else "scan", lang)
    blocks += [Rule(), Qr(r.status_url), Text(scan, "small", align="center")]
    if r.notice:
        blocks.append(Text(r.notice, "small", align="center"))
    return blocks


def layout_notice_slip(slip: NoticeSlip) -> list[Block]:
    # 一次性告知: every missing material is listed, never truncated (DOMAIN.md).
    d = slip.issued_on
    blocks: list[Block] = [
        Text(slip.hall_name, "large", bold=True, align="center"),
        Text("材料补齐通知书", "title", bold=True, align="center"),
        Text("（一次性告知）", "small", align="center"),
        Text(f"登记号：{slip.registration_no}", "small", align="center"),
        Rule(),
        Text(f"号码：{slip.number}"),
        Text(f"办理事项：{slip.service_name}"),
        Text(f"受理窗口：{slip.window}"),
        Rule(),
        Text("经审查，您申请办理的上述事项尚需补齐以下材料，现一次性告知如下："),
    ]
    blocks += [Text(m, prefix=f"{i}. ") for i, m in enumerate(slip.missing_materials, start=1)]
    if slip.note:
        blocks.append(Text(slip.note, "small"))
    blocks += [
        Text(f"请补齐材料后到{slip.window}办理。"),
        Rule(),
        Text(f"窗口工作人员：{slip.clerk_name}"),
        Text(f"日期：{d.year}年{d.month}月{d.day}日"),
        Space(16),
    ]
    return blocks


def layout(document: Document) -> list[Block]:
    if isinstance(document, Receipt):
        return layout_receipt(document)
    return layout_notice_slip(document)


def render(
    document: Document, width_mm: int = 80, fonts: FontSet | None = None, paper: Paper | None = None
) -> Rendered:
    """Lay out and rasterize a receipt or notice slip for the paper (default: width_mm's)."""
    return rasterize(
        layout(document),
        paper or paper_for(width_mm),
        fonts or default_fonts(),
        title=document.number,
    )


def _pin_profile_width(printer: Escpos, dots: int) -> None:
    # With an unknown media width python-escpos print()s a warning on every image; give this
    # printer object (only) a profile that knows the width we render for.
    width = printer.profile.profile_data.get("media", {}).get("width", {})
    if width.get("pixels") not in (None, "Unknown"):
        return
    data = dict(printer.profile.profile_data)
    data["media"] = {**data.get("media", {}), "width": {**width, "pixels": dots}}
    printer.profile = type("HallqProfile", (type(printer.profile),), {"profile_data": data})()


def write_escpos(rendered: Rendered, printer: Escpos, cut: bool = True) -> None:
    """Send a rendered document to a python-escpos printer object."""
    _pin_profile_width(printer, rendered.paper.dots)
    printer.hw("INIT")
    for seg in rendered.segments:
        if isinstance(seg, ImageSegment):
            printer.image(seg.image, impl="bitImageRaster")
        elif isinstance(seg, NumberSegment):
            printer.set(
                align="center", bold=True, custom_size=True, width=seg.mult, height=seg.mult
            )
            printer.text(seg.text + "\n")
            printer.set(align="left", bold=False, custom_size=True, width=1, height=1)
    if cut:
        printer.cut()


def print_document(
    document: Document, printer: Escpos, width_mm: int = 80, fonts: FontSet | None = None
) -> None:
    write_escpos(render(document, width_mm, fonts), printer)


def escpos_bytes(rendered: Rendered, profile: str | None = None) -> bytes:
    """The complete print job as bytes (what a transport ships to the printer)."""
    printer = Dummy(profile=profile)
    write_escpos(rendered, printer)
    return bytes(printer.output)
