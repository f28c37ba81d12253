"""The receipt for a ticket the server confirmed (printers.Receipt is plain data)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from kiosk.model import Bilingual, HallInfo, IssuedTicket, Publics, ServiceInfo
from kiosk.offline import OfflineTicket
from kiosk.texts import Lang, t
from printers import Receipt


def status_url(public_url: str, ticket_id: str) -> str:
    """The live status page on the server (the QR code's target)."""
    return f"{public_url.rstrip('/')}/t/{ticket_id}"


def wait_value(ticket: IssuedTicket, lang: Lang) -> str | None:
    if ticket.wait_low is None or ticket.wait_high is None:
        return None
    if ticket.wait_about is not None:
        return f"about {ticket.wait_about} min" if lang == "en" else f"约 {ticket.wait_about} 分钟"
    if lang == "en":
        return f"about {ticket.wait_low}-{ticket.wait_high} min"
    return f"约 {ticket.wait_low}-{ticket.wait_high} 分钟"


def receipt_for(
    ticket: IssuedTicket,
    service: ServiceInfo,
    hall: HallInfo,
    *,
    lang: Lang,
    public_url: str,
    notice: str | None = None,
) -> Receipt:
    """`notice`: the appointment line (priority, late, early) in place of the usual one."""
    kind = t("green", lang) if ticket.green else None
    if ticket.appointment:
        kind = t("appointment_kind", lang)
    receipt = Receipt(
        hall_name=hall.name.zh,
        hall_name_en=hall.name.en,
        number=ticket.number,
        service_name=service.name.zh,
        service_name_en=service.name.en,
        ahead=ticket.ahead,
        issued_at=ticket.issued_at.astimezone(hall.zone),
        status_url=status_url(public_url, ticket.id),
        windows=tuple(t("window_n", lang, n=w) for w in service.windows),
        materials=tuple(m.pick(lang) for m in service.publics.materials),
        kind_label=kind,
        estimated_wait=None if ticket.offline else wait_value(ticket, lang),
        lang=lang,
        offline=ticket.offline,
    )
    return replace(receipt, notice=notice) if notice else receipt


def offline_receipt_for(
    ticket: OfflineTicket, service: ServiceInfo, hall: HallInfo, *, lang: Lang, public_url: str
) -> Receipt:
    """A number issued from the kiosk's lease while cut off: marked offline, no place in line
    and the wait unknown; the QR link opens the ticket once the journal is reconciled."""
    return receipt_for(ticket.as_issued(), service, hall, lang=lang, public_url=public_url)


def sample_receipt(lang: Lang = "zh") -> Receipt:
    """What `hallq receipt preview` prints: a green-channel ticket of a typical service."""
    hall, service = sample_hall_and_service()
    ticket = IssuedTicket(
        id="0123456789abcdef0123456789abcdef",
        number="F012",
        service="RES",
        priority="green",
        issued_at=datetime(2026, 11, 25, 1, 12, tzinfo=UTC),
        ahead=7,
        wait_low=12,
        wait_high=25,
    )
    return receipt_for(ticket, service, hall, lang=lang, public_url="http://127.0.0.1:8000")


def sample_hall_and_service() -> tuple[HallInfo, ServiceInfo]:
    hall = HallInfo(
        id="demo",
        name=Bilingual("某某市政务服务中心", "Municipal Government Service Centre"),
        timezone="Asia/Shanghai",
        open_now=True,
        state="open",
        next_opening=None,
    )
    service = ServiceInfo(
        code="RES",
        name=Bilingual("不动产登记", "Real estate registration"),
        category=Bilingual("自然资源", "Natural resources"),
        prefix="F",
        publics=Publics(
            content=Bilingual("不动产转移登记", "Transfer of real estate"),
            procedure=(),
            materials=(
                Bilingual("申请人身份证原件及复印件", "ID card of the applicant, with a copy"),
                Bilingual("不动产权属证书", "Real estate title certificate"),
                Bilingual("购房合同原件一份", "The purchase contract (original)"),
            ),
            time_limit_days=5,
            fee=Bilingual("80 元/件", "CNY 80 per case"),
            fee_basis=None,
        ),
        green_channel=True,
        waiting=7,
        issuing_stopped=False,
        windows=(5, 6),
    )
    return hall, service
