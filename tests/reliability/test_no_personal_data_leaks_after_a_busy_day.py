"""After a busy day into which personal data was fed where the API takes it (the phone of a
bad rating, follow-up notes quoting a phone and an ID number, an online booking with name,
phone and ID number checked in at a kiosk by the ID number), none of it appears unmasked in
the server's log, the event log, the event stream, the public pages and answers, or the
kiosk's receipts. The scan is shown to work on the one answer allowed to hold the phone."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from websockets.sync.client import connect

from kiosk.model import HallInfo, IssuedTicket, ServiceInfo
from kiosk.receipts import receipt_for
from printers.layout import layout_receipt
from tests.support.busy_day import (
    HALL,
    VISITOR_ID_NUMBER,
    VISITOR_PHONE,
    DayShape,
    prepare,
    run_day,
)
from tests.support.invariants import check_database
from tests.support.privacy_scan import scan
from tests.support.server_process import ServerProcess

DAY = DayShape(tickets=80, windows=4, subscribers=3, kiosks=3)
NOTE = f"已电话回访 {VISITOR_PHONE}，身份证 {VISITOR_ID_NUMBER}"


def test_no_personal_data_leaks_after_a_busy_day(sqlite_url: str, tmp_path: Path) -> None:
    prepared = prepare(sqlite_url, DAY, tmp_path)
    tokens = prepared.tokens
    server = ServerProcess(sqlite_url, config=prepared.config_path, log_path=tmp_path / "log")
    with server, httpx.Client(base_url=server.url, timeout=30) as http:
        _, record = run_day(server.url, prepared, DAY)
        api = f"/api/v1/halls/{HALL}"
        clerk = {"Authorization": f"Bearer {tokens.clerks[1]}"}
        lead = {"Authorization": f"Bearer {tokens.duty_lead}"}
        kiosk = {"Authorization": f"Bearer {tokens.kiosks[0]}"}
        display = {"Authorization": f"Bearer {tokens.displays[1]}"}
        # One more visitor, rated badly with a phone; the follow-up notes quote phone and ID.
        issued = http.post(f"{api}/tickets", json={"service": "SOC"}, headers=kiosk).json()
        called = http.post(f"{api}/windows/1/call-next", headers=clerk).json()
        path = f"{api}/windows/1/tickets/{called['id']}"
        http.post(f"{path}/start", headers=clerk)
        http.post(f"{path}/finish", json={"case_type": "immediate"}, headers=clerk)
        rated = http.post(
            f"{path}/rating",
            json={"level": "very_dissatisfied", "reasons": ["attitude"], "phone": VISITOR_PHONE},
            headers=display,
        )
        assert rated.status_code == 201 and rated.json()["follow_up"], rated.text
        follow_ups = http.get(f"{api}/follow-ups", headers=lead).json()
        for follow_up in follow_ups:
            for step in ("contact", "fix", "close"):
                answer = http.post(
                    f"{api}/follow-ups/{follow_up['id']}/{step}", json={"note": NOTE}, headers=lead
                )
                assert answer.status_code == 200, answer.text
        # The one place the phone belongs: the duty lead's follow-up record.
        assert scan({"follow-ups": http.get(f"{api}/follow-ups", headers=lead).text})

        booking_answers = _book_and_check_in(http, api, kiosk)

        sample = [*list(record.acknowledged)[:20], issued["id"]]
        checked_in = json.loads(booking_answers["check-in answer"]).get("ticket")
        if checked_in is not None:
            sample.append(checked_in["id"])
        sources = {
            **booking_answers,
            "booking page": http.get(f"/book/{HALL}").text,
            "snapshot": http.get(f"{api}/snapshot").text,
            "board page": http.get(f"/board/{HALL}").text,
            "rating summary": http.get(f"{api}/ratings/summary", headers=lead).text,
        }
        halls = http.get("/api/v1/halls").json()
        hall = HallInfo.of(next(h for h in halls if h["id"] == HALL))
        services = {s["code"]: ServiceInfo.of(s) for s in http.get(f"{api}/services").json()}
        for ticket_id in sample:
            answer = http.get(f"/api/v1/tickets/{ticket_id}")
            sources[f"status {ticket_id}"] = answer.text
            sources[f"page {ticket_id}"] = http.get(f"/t/{ticket_id}").text
            ticket = IssuedTicket.of(answer.json())
            receipt = receipt_for(
                ticket, services[answer.json()["service"]], hall, lang="zh",
                public_url=server.url,
            )  # fmt: skip
            sources[f"receipt {ticket_id}"] = repr(layout_receipt(receipt))
        last_seq = http.get(f"{api}/snapshot").json()["last_seq"]
        sources["event stream"] = _stream_until(server.url, last_seq)
    check = check_database(sqlite_url, HALL)
    assert not check.problems
    sources["event log"] = json.dumps([e.payload for e in check.log], ensure_ascii=False)
    sources["server log"] = server.log_text()
    assert len(sources["server log"].splitlines()) > DAY.tickets  # the access log was captured

    assert scan(sources) == {}


def _book_and_check_in(http: httpx.Client, api: str, kiosk: dict[str, str]) -> dict[str, str]:
    """Book the next free slot, look it up, check in at the kiosk by ID number; the answers."""
    slots = http.get(f"{api}/booking-slots").json()
    slot = next(s for s in slots if s["free"] > 0)
    booking = {
        "service": slot["service"],
        "slot_start": slot["start"],
        "name": "张三丰",
        "phone": VISITOR_PHONE,
        "id_number": VISITOR_ID_NUMBER,
    }
    booked = http.post(f"{api}/bookings", json=booking)
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"]
    found = http.post(f"{api}/bookings/lookup", json={"code": code, "phone": VISITOR_PHONE})
    assert found.status_code == 200, found.text
    check_in = {"id_number": VISITOR_ID_NUMBER, "normal_if_early": True}
    checked = http.post(f"{api}/bookings/check-in", json=check_in, headers=kiosk)
    # The hall is open around the clock on the real clock: after 23:00 the next free slot is
    # tomorrow's, which a check-in by ID number does not find among today's bookings; the
    # kiosk's refusal is scanned like any answer.
    assert checked.status_code == 200 or checked.json()["error"] in (
        "booking_not_today",
        "booking_not_found",
    ), checked.text
    answer = checked.text if checked.status_code == 200 else "{}"
    return {
        "booking answer": booked.text,
        "booking lookup": found.text,
        "check-in answer": answer,
        "check-in refusal": "" if checked.status_code == 200 else checked.text,
    }


def _stream_until(base_url: str, last_seq: int) -> str:
    """Every event from the start, as the stream sends it (replayed)."""
    url = base_url.replace("http", "ws", 1) + f"/api/v1/halls/{HALL}/events?since=0"
    frames: list[str] = []
    with connect(url, max_size=None) as ws:
        while True:
            frame = str(ws.recv(timeout=30))
            frames.append(frame)
            body = json.loads(frame)
            if body.get("type") in ("event", "snapshot") and body["seq"] >= last_seq:
                return "\n".join(frames)
