"""The start page at `/`: the first URL anyone types, with a link to every page of each hall.

Bilingual (中文 first, English second), no script, nothing from outside. On the demo it also
lists the demo's accounts (their passwords are printed on the demo's terminal and in the
README anyway); on a real hall it lists none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.api.deps import ServicesDep

router = APIRouter(tags=["landing"])


@dataclass(frozen=True)
class Link:
    path: str
    zh: str
    en: str
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class HallLinks:
    id: str
    name_zh: str
    name_en: str | None
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Account:
    staff_no: str
    password: str
    role: str
    name: str


ROLE_NAMES = {
    "clerk": ("窗口工作人员", "clerk"),
    "duty_lead": ("值班长", "duty lead"),
    "supervisor": ("督查股", "supervision"),
    "admin": ("管理员", "administrator"),
}

SERVER_LINKS = (
    Link("/docs", "接口文档", "API docs", "OpenAPI (Swagger UI)", "OpenAPI (Swagger UI)"),
    Link("/redoc", "接口说明", "API reference", "ReDoc", "ReDoc"),
    Link("/api/v1/halls", "大厅列表", "Halls", "JSON", "JSON"),
    Link("/healthz", "运行状态", "Health", "/healthz · /readyz · /metrics", "probes"),
)


def hall_links(hall: str) -> tuple[Link, ...]:
    return (
        Link(f"/board/{hall}", "大厅显示屏", "Hall board", "叫号与等候", "calls and queues"),
        Link(f"/floor/{hall}", "值班长监控", "Floor monitor", "需登录 (值班长)", "duty lead login"),
        Link(f"/book/{hall}", "网上预约", "Book an appointment", "预约", "for visitors"),
        Link(
            f"/api/v1/halls/{hall}/snapshot",
            "大厅快照",
            "Snapshot",
            "每个窗口和队列 (JSON)",
            "every window and queue (JSON)",
        ),
    )


def _link(link: Link) -> str:
    note = ""
    if link.note_zh or link.note_en:
        note = (
            f' <span class="note">{escape(link.note_zh)}'
            f' <span lang="en">{escape(link.note_en)}</span></span>'
        )
    return (
        f'<li><a href="{escape(link.path)}">{escape(link.zh)}'
        f' <span lang="en">{escape(link.en)}</span></a>{note}</li>'
    )


def render_landing(halls: Sequence[HallLinks], accounts: Sequence[Account]) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>hallq 政务服务大厅 · service hall</title>",
        "<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:46rem;"
        "margin:1.5rem auto;padding:0 1rem;line-height:1.5}a{font-size:1.15rem}"
        "li{margin:.35rem 0}[lang=en]{color:#444}.note{color:#666;font-size:.9rem}"
        "table{border-collapse:collapse}td,th{padding:.2rem .8rem .2rem 0;text-align:left}"
        "code{font-size:1rem}</style></head><body>",
        '<h1>hallq 政务服务大厅 <span lang="en">Service hall</span></h1>',
    ]
    for hall in halls:
        english = f' <span lang="en">{escape(hall.name_en)}</span>' if hall.name_en else ""
        parts.append(f'<section id="hall-{escape(hall.id)}">')
        parts.append(f"<h2>{escape(hall.name_zh)}{english}</h2><ul>")
        parts.extend(_link(link) for link in hall.links)
        parts.append("</ul></section>")
    parts.append('<section id="server"><h2>服务器 <span lang="en">Server</span></h2><ul>')
    parts.extend(_link(link) for link in SERVER_LINKS)
    parts.append("</ul></section>")
    if accounts:
        parts.append(
            '<section id="demo-accounts"><h2>演示账号 <span lang="en">Demo accounts</span></h2>'
            "<table><tr><th>工号 <span lang=en>staff no</span></th>"
            "<th>密码 <span lang=en>password</span></th>"
            "<th>角色 <span lang=en>role</span></th><th>姓名 <span lang=en>name</span></th></tr>"
        )
        for a in accounts:
            zh, en = ROLE_NAMES.get(a.role, (a.role, a.role))
            parts.append(
                f"<tr><td><code>{escape(a.staff_no)}</code></td>"
                f"<td><code>{escape(a.password)}</code></td>"
                f'<td>{escape(zh)} <span lang="en">{escape(en)}</span></td>'
                f"<td>{escape(a.name)}</td></tr>"
            )
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
def landing_page(request: Request, services: ServicesDep) -> HTMLResponse:
    halls = [
        HallLinks(h.id, h.config.hall.name.zh, h.config.hall.name.en, hall_links(h.id))
        for h in services.halls.all()
    ]
    demo = getattr(request.app.state, "demo_accounts", ())
    accounts = [Account(u.staff_no, u.password, u.role.value, u.name) for u in demo]
    return HTMLResponse(render_landing(halls, accounts), headers={"Cache-Control": "no-cache"})
