"""The bulletin as one self-contained HTML page (charts inlined as PNG data URIs)."""

from __future__ import annotations

import base64
from html import escape

from queue_server.reports.bulletin import Bulletin, Table, format_cell
from queue_server.reports.charts import Chart

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;
color:#222;max-width:1200px}
h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.2em;border-bottom:2px solid #2f6f9f;
padding-bottom:.2em;margin-top:1.6em}.en{color:#777;font-weight:normal;font-size:.85em}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.6em}
.figure{border:1px solid #ddd;border-radius:6px;padding:.6em}.figure b{display:block;
font-size:1.5em;color:#2f6f9f}table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em}th{background:#eef3f7}td.n{text-align:right}
img{max-width:100%}.note{color:#555;font-size:.85em}
"""


def render_html(bulletin: Bulletin, charts: list[Chart]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(bulletin.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(bulletin.title)}</h1>",
        f'<p class="en">{escape(bulletin.subtitle)} · 生成时间 generated '
        f"{bulletin.generated_at:%Y-%m-%d %H:%M}</p>",
        '<h2>主要指标 <span class="en">Key figures</span></h2><div class="figures">',
    ]
    for figure in bulletin.figures:
        parts.append(
            f'<div class="figure">{escape(figure.zh)}<b>'
            f"{escape(format_cell(figure.value, figure.format))}</b>"
            f'<span class="en">{escape(figure.en)}</span></div>'
        )
    parts.append("</div>")
    if charts:
        parts.append('<h2>图表 <span class="en">Charts</span></h2>')
        for chart in charts:
            data = base64.b64encode(chart.png).decode("ascii")
            parts.append(
                f'<figure><img alt="{escape(chart.title)}" src="data:image/png;base64,{data}">'
                "</figure>"
            )
    for table in bulletin.tables:
        parts.append(_table(table))
    parts.append("".join(f'<p class="note">{escape(note)}</p>' for note in bulletin.notes))
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(table: Table) -> str:
    table = table.published()
    head = "".join(
        f"<th>{escape(c.zh)}<br><span class='en'>{escape(c.en)}</span></th>" for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="{"n" if c.format != "text" else ""}">{escape(format_cell(v, c.format))}'
            "</td>"
            for v, c in zip(row, table.columns, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}">无 none</td></tr>')
    return (
        f'<h2 id="{table.key}">{escape(table.zh)} <span class="en">{escape(table.en)}</span>'
        f"</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
