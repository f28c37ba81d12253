"""The notice (通报) as PDF, laid out after GB/T 9704-2012 (党政机关公文格式) as far as free
fonts allow.

- A4 portrait; text area 156 × 225 mm, top margin 37 mm, binding-side margin 28 mm (§5.2.1);
- body in 3号 (16 pt nominal; 15.75 pt so that 28 characters fill a line) at 22 lines a page
  (a 225/22 mm line pitch), every paragraph indented two characters (§5.2.2, §7.3.3);
- the issuing body's mark in red, 35 mm below the top of the text area, the document number
  two lines below it, the red separator 4 mm under the number (§7.2.3-7.2.5);
- the title in 2号 (22 pt), two lines below the separator; the main recipients one line below
  the title, flush left (§7.3.1-7.3.2); first-level headings in 黑体 (§7.3.3);
- the list of annexes, then the issuing body two characters from the right and the date
  below it, its first character two to the right of the body's first (§7.3.4, §7.3.5.2);
- page numbers in 4号 as "— 1 —", 7 mm below the text area, odd pages at the right and even
  pages at the left, one character in (§7.5);
- each annex on a new page, "附件1" at the top left in 黑体, its title centred on the third line
  (§8); the print record (版记) with the issuing body and the date at the end of the last page.

Fonts: Noto Serif CJK SC (a 宋体/Song design) stands in for 仿宋 (body) and, in bold, for 小标宋
(titles); Noto Sans CJK SC (a 黑体/Hei design) for 黑体. There is no free 仿宋 or 小标宋.
"""

from __future__ import annotations

import re

from fpdf import FPDF

from queue_server.reports.bulletin import format_cell
from queue_server.reports.fonts import FAMILY, SERIF, find_font
from queue_server.reports.notice import Annex, Notice

PT = 25.4 / 72  # millimetres per point
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
RIGHT_EDGE = LEFT + WIDTH
BOTTOM = TOP + HEIGHT
LINE = HEIGHT / 22  # 22 lines a page
BODY_PT = 15.75  # 3号, so that 28 characters fill the 156 mm line
TITLE_PT = 22.0  # 2号
MARK_PT = 36.0  # the issuing body's mark: no size is prescribed, "醒目、美观、庄重"
PAGE_NO_PT = 14.0  # 4号
TABLE_PT = (10.5, 9.0, 7.5)  # 5号, then smaller until the table fits the width
RED = (230, 0, 18)
SONG, SONG_BOLD, HEI = "song", "song_bold", "hei"


class _Notice(FPDF):
    def __init__(self, notice: Notice) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        for name, family, style in (
            (SONG, SERIF, "Regular"),
            (SONG_BOLD, SERIF, "Bold"),
            (HEI, FAMILY, "Regular"),
        ):
            font = find_font(family, style)
            self.add_font(name, fname=font.path, collection_font_number=font.index)
        self.set_margins(LEFT, TOP, 210 - RIGHT_EDGE)
        self.set_auto_page_break(True, margin=297 - BOTTOM)
        self.set_title(notice.title)
        self.set_author(notice.issuer)
        self.set_creator("hallq")
        self.set_lang("zh-CN")

    def footer(self) -> None:
        self.set_font(SONG, size=PAGE_NO_PT)
        em = PAGE_NO_PT * PT
        self.set_y(BOTTOM + 7)
        text = f"— {self.page_no()} —"
        if self.page_no() % 2:
            self.set_x(LEFT)
            self.cell(WIDTH - em, PAGE_NO_PT * PT, text, align="R")
        else:
            self.set_x(LEFT + em)
            self.cell(WIDTH - em, PAGE_NO_PT * PT, text, align="L")


def render_notice_pdf(notice: Notice) -> bytes:
    pdf = _Notice(notice)
    pdf.add_page()
    _header(pdf, notice)
    _title(pdf, notice.title)
    pdf.set_font(SONG, size=BODY_PT)
    for line in wrap(pdf, notice.recipients, WIDTH):
        pdf.set_x(LEFT)
        pdf.cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")
    _paragraph(pdf, notice.opening)
    for section in notice.sections:
        _paragraph(pdf, section.heading, font=HEI)
        for text in section.paragraphs:
            _paragraph(pdf, text)
    _paragraph(pdf, notice.closing)
    if notice.annexes:
        pdf.ln(LINE)
        _annex_list(pdf, notice)
    _signature(pdf, notice)
    for number, annex in enumerate(notice.annexes, 1):
        _annex(pdf, number, annex)
    _print_record(pdf, notice)
    return bytes(pdf.output())


def _em(size: float = BODY_PT) -> float:
    return size * PT


def _header(pdf: FPDF, notice: Notice) -> None:
    pdf.set_text_color(*RED)
    size = MARK_PT
    pdf.set_font(SONG_BOLD, size=size)
    while pdf.get_string_width(notice.issuer) > WIDTH and size > TITLE_PT:
        size -= 2
        pdf.set_font(SONG_BOLD, size=size)
    pdf.set_xy(LEFT, TOP + 35)
    pdf.cell(WIDTH, size * PT, notice.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font(SONG, size=BODY_PT)
    pdf.set_y(pdf.get_y() + 2 * LINE)
    pdf.cell(WIDTH, _em(), notice.document_number, align="C", new_x="LMARGIN", new_y="NEXT")
    rule_y = pdf.get_y() + 4
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.5)
    pdf.line(LEFT, rule_y, RIGHT_EDGE, rule_y)
    pdf.set_draw_color(0)
    pdf.set_y(rule_y + 2 * LINE)


def _title(pdf: FPDF, title: str) -> None:
    pdf.set_font(SONG_BOLD, size=TITLE_PT)
    for line in wrap(pdf, title, WIDTH):
        pdf.set_x(LEFT)
        pdf.cell(WIDTH, TITLE_PT * PT * 1.6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE)


# 避头尾: punctuation that may not begin a line, and that may not end one
NOT_FIRST = set("，。、；：？！）》」』”’%．,.;:?!)]")
NOT_LAST = set("（《「『“‘([")
RUN = re.compile(r"[A-Za-z0-9.%\-]+|.", re.S)


def wrap(pdf: FPDF, text: str, width: float, indent: float = 0.0) -> list[str]:
    """Lines of CJK text: broken between characters (a run of Latin letters and digits stays
    whole), closing punctuation never starting a line, opening punctuation never ending one.
    The first line is `indent` narrower (a paragraph's two-character indent)."""
    lines: list[str] = []
    current = ""
    room = width - indent
    for unit in RUN.findall(text):
        if current and pdf.get_string_width(current + unit) > room:
            if unit[0] in NOT_FIRST:
                # the mark stays with the line before; the last character moves down with it
                # when it would stick out by more than the mark's width
                current, carried = current[:-1], current[-1:]
                if not current:
                    current, carried = carried, ""
                lines.append(current)
                current = carried + unit
            elif current[-1] in NOT_LAST:
                lines.append(current[:-1])
                current = current[-1] + unit
            else:
                lines.append(current)
                current = unit
            room = width
        else:
            current += unit
    if current:
        lines.append(current)
    return lines


def _paragraph(pdf: FPDF, text: str, *, font: str = SONG, size: float = BODY_PT) -> None:
    """Left two characters in on its first line, back to the margin after (§7.3.3)."""
    pdf.set_font(font, size=size)
    em = size * PT
    for number, line in enumerate(wrap(pdf, text, WIDTH, 2 * em)):
        if pdf.will_page_break(LINE):
            pdf.add_page()
        pdf.set_x(LEFT + (2 * em if number == 0 else 0))
        pdf.cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")


def _annex_list(pdf: FPDF, notice: Notice) -> None:
    pdf.set_font(SONG, size=BODY_PT)
    em = _em()
    label = "附件："
    label_w = pdf.get_string_width(label)
    for number, annex in enumerate(notice.annexes, 1):
        pdf.set_x(LEFT + 2 * em)
        if number == 1:
            pdf.cell(label_w, LINE, label)
        else:
            pdf.set_x(LEFT + 2 * em + label_w)
        for index, line in enumerate(
            wrap(pdf, f"{number}.{annex.title}", WIDTH - 2 * em - label_w)
        ):
            if index:
                pdf.set_x(LEFT + 2 * em + label_w)
            pdf.cell(WIDTH - 2 * em - label_w, LINE, line, new_x="LMARGIN", new_y="NEXT")


def _signature(pdf: FPDF, notice: Notice) -> None:
    pdf.set_font(SONG, size=BODY_PT)
    em = _em()
    if pdf.will_page_break(3 * LINE):
        pdf.add_page()
    pdf.ln(LINE)
    issuer_w = pdf.get_string_width(notice.issuer)
    date_w = pdf.get_string_width(notice.date_text)
    issuer_x = RIGHT_EDGE - 2 * em - issuer_w
    date_x = min(issuer_x + 2 * em, RIGHT_EDGE - em - date_w)
    pdf.set_x(issuer_x)
    pdf.cell(issuer_w, LINE, notice.issuer, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(date_x)
    pdf.cell(date_w, LINE, notice.date_text, new_x="LMARGIN", new_y="NEXT")


def _annex(pdf: FPDF, number: int, annex: Annex) -> None:
    pdf.add_page()
    pdf.set_font(HEI, size=BODY_PT)
    pdf.set_xy(LEFT, TOP)
    pdf.cell(WIDTH, LINE, f"附件{number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(TOP + 2 * LINE)
    _title(pdf, annex.title)
    texts = [
        [format_cell(v, c.format) for v, c in zip(row, annex.columns, strict=True)]
        for row in annex.rows
    ]
    size, widths = _fit_table(pdf, annex, texts)
    height = size * PT * 1.9
    _table_head(pdf, annex, widths, height, size)
    if not texts:
        pdf.set_x(LEFT)
        pdf.cell(sum(widths), height, "无", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    for row in texts:
        if pdf.will_page_break(height):
            pdf.add_page()
            _table_head(pdf, annex, widths, height, size)
        pdf.set_x(LEFT)
        for text, width, column in zip(row, widths, annex.columns, strict=True):
            align = "L" if column.format == "text" else "R"
            pdf.cell(width, height, text, border=1, align=align)
        pdf.ln(height)


def _fit_table(pdf: FPDF, annex: Annex, texts: list[list[str]]) -> tuple[float, list[float]]:
    """Columns as wide as their widest cell or heading, so that no date or number is ever
    cut; the font steps down until the table fits the text area (then the last size)."""
    widths: list[float] = []
    for size in TABLE_PT:
        pdf.set_font(SONG, size=size)
        pad = size * PT * 1.2
        widths = []
        for index, column in enumerate(annex.columns):
            cells = [pdf.get_string_width(row[index]) for row in texts]
            widths.append(max([pdf.get_string_width(column.name), *cells]) + pad)
        if sum(widths) <= WIDTH:
            spare = (WIDTH - sum(widths)) / len(widths)
            return size, [w + spare for w in widths]
    return TABLE_PT[-1], widths


def _table_head(pdf: FPDF, annex: Annex, widths: list[float], height: float, size: float) -> None:
    pdf.set_font(HEI, size=size)
    pdf.set_x(LEFT)
    for column, width in zip(annex.columns, widths, strict=True):
        pdf.cell(width, height, column.name, border=1, align="C")
    pdf.ln(height)
    pdf.set_font(SONG, size=size)


def _print_record(pdf: FPDF, notice: Notice) -> None:
    """版记: the issuing body and the printing date between separator lines at the foot of
    the last page (§7.4.3)."""
    size = 14.0  # 4号
    height = LINE
    if pdf.get_y() > BOTTOM - 2 * height - 4:
        pdf.add_page()
    top = BOTTOM - height
    pdf.set_line_width(0.35)
    pdf.line(LEFT, top, RIGHT_EDGE, top)
    pdf.line(LEFT, BOTTOM, RIGHT_EDGE, BOTTOM)
    pdf.set_font(SONG, size=size)
    em = size * PT
    pdf.set_xy(LEFT + em, top)
    pdf.cell(WIDTH / 2, height, notice.issuer)
    printed = f"{notice.date_text}印发"
    pdf.set_xy(RIGHT_EDGE - em - pdf.get_string_width(printed), top)
    pdf.cell(pdf.get_string_width(printed), height, printed)
