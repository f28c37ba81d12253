"""Importing bookings from CSV and iCalendar: a good file, a bad file (every problem with its
line number, nothing written), and the same file twice (nothing changes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from hallq.cli import main
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.storage.booking_tables import Booking
from queue_server.storage.tables import Event
from tests.bookings.helpers import id_number
from tests.support.auth import staff_login
from tests.support.factories import SMALL_HALL
from tests.support.live_server import LiveServer

BOTH_DATABASES = True  # see tests/bookings/conftest.py

GOOD_CSV = f"""ref,service,date,time,name,phone,id_number
GOV-1,SOC,2026-11-26,09:00,张三,13812345601,{id_number(1)}
GOV-2,SOC,2026-11-26,09:00,李四,13812345602,{id_number(2)}
GOV-3,TAX,2026-11-27,14:00,王五,13812345603,{id_number(3)}
"""

BAD_CSV = f"""ref,service,date,time,name,phone,id_number
GOV-1,SOC,2026-11-26,09:00,张三,13812345601,{id_number(1)}
GOV-2,SOC,2026-11-26,09:30,李四,13812345602,{id_number(2)}
GOV-3,SOC,2026-11-26,10:00,王五,1381234,{id_number(3)}
GOV-4,RES,2026-11-26,10:00,赵六,13812345604,{id_number(4)}
GOV-5,SOC,2026-11-26,10:00,钱七,13812345605,110101199003070010
GOV-6,SOC,2026-11-26,10:00,孙八,13812345606
"""

GOOD_ICS = f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//province//booking//ZH
BEGIN:VEVENT
UID:prov-0001@gov.example
DTSTART;TZID=Asia/Shanghai:20261126T100000
DTEND;TZID=Asia/Shanghai:20261126T110000
SUMMARY:社保业务预约
X-HALLQ-SERVICE:SOC
X-HALLQ-NAME:周九
X-HALLQ-PHONE:13812345609
X-HALLQ-ID-NUMBER:{id_number(9)}
END:VEVENT
BEGIN:VEVENT
UID:prov-0002@gov.example
DTSTART:20261127T010000Z
X-HALLQ-SERVICE:SOC
X-HALLQ-NAME:吴十
X-HALLQ-PHONE:13812345610
X-HALLQ-ID-NUMBER:{id_number(10)}
END:VEVENT
END:VCALENDAR
"""


def counts(services: Services) -> tuple[int, int]:
    with services.db.read() as session:
        bookings = session.scalar(select(func.count()).select_from(Booking)) or 0
        events = session.scalar(select(func.count()).select_from(Event)) or 0
    return bookings, events


@pytest.fixture
def admin(server: LiveServer, services: Services) -> httpx.Client:
    headers = staff_login(services, Role.ADMIN).headers
    return httpx.Client(base_url=f"{server.url}/api/v1/halls/test", headers=headers)


def test_a_good_csv_then_the_same_file_again(services: Services, admin: httpx.Client) -> None:
    first = admin.post("/bookings/import", json={"format": "csv", "content": GOOD_CSV})
    assert first.status_code == 200, first.text
    assert first.json() == {"created": 3, "unchanged": 0}
    after_first = counts(services)

    again = admin.post("/bookings/import", json={"format": "csv", "content": GOOD_CSV})
    assert again.json() == {"created": 0, "unchanged": 3}
    assert counts(services) == after_first
    slots = services.bookings.free_slots("test", "SOC")
    assert next(s.free for s in slots if f"{s.start:%d %H:%M}" == "26 09:00") == 0


def test_a_bad_file_names_every_line_and_writes_nothing(
    services: Services, admin: httpx.Client
) -> None:
    before = counts(services)
    response = admin.post("/bookings/import", json={"format": "csv", "content": BAD_CSV})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_rejected"
    problems = {d["line"]: d["problem"] for d in body["details"]}
    assert problems == {7: "6 columns, expected 7"}  # the shape is checked first
    fixed = BAD_CSV.replace("\nGOV-6,SOC,2026-11-26,10:00,孙八,13812345606", "")
    body = admin.post("/bookings/import", json={"format": "csv", "content": fixed}).json()
    problems = {d["line"]: d["problem"] for d in body["details"]}
    assert sorted(problems) == [3, 4, 5, 6]
    assert "not the start of a slot" in problems[3]
    assert "phone" in problems[4]
    assert "cannot be booked online" in problems[5]
    assert "check character" in problems[6]
    assert "line 3:" in body["message"]
    assert id_number(1) not in str(body)
    assert counts(services) == before  # line 2 was fine, and still nothing was written


def test_a_full_slot_rejects_the_whole_file(services: Services, admin: httpx.Client) -> None:
    three = GOOD_CSV + f"GOV-4,SOC,2026-11-26,09:00,郑一,13812345604,{id_number(4)}\n"
    body = admin.post("/bookings/import", json={"format": "csv", "content": three}).json()
    assert [d["line"] for d in body["details"]] == [5]
    assert "fully booked" in body["details"][0]["problem"]
    assert counts(services)[0] == 0


def test_icalendar_with_local_and_utc_times(services: Services, admin: httpx.Client) -> None:
    response = admin.post("/bookings/import", json={"format": "ics", "content": GOOD_ICS})
    assert response.json() == {"created": 2, "unchanged": 0}, response.text
    with services.db.read() as session:
        starts = sorted(f"{b.slot_start:%Y-%m-%d %H:%M}" for b in session.scalars(select(Booking)))
    assert starts == ["2026-11-26 02:00", "2026-11-27 01:00"]  # 10:00 and 09:00 in Shanghai
    again = admin.post("/bookings/import", json={"format": "ics", "content": GOOD_ICS})
    assert again.json() == {"created": 0, "unchanged": 2}
    broken = GOOD_ICS.replace("X-HALLQ-PHONE:13812345610\n", "")
    body = admin.post("/bookings/import", json={"format": "ics", "content": broken}).json()
    assert body["details"] == [{"line": 14, "problem": "missing X-HALLQ-PHONE"}]


def test_only_the_administrator_imports(server: LiveServer, services: Services) -> None:
    lead = staff_login(services, Role.DUTY_LEAD).headers
    response = httpx.post(
        f"{server.url}/api/v1/halls/test/bookings/import",
        json={"format": "csv", "content": GOOD_CSV},
        headers=lead,
    )
    assert response.status_code == 403


def test_the_command_line_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "hall.toml"
    text = SMALL_HALL.format(hall_id="east", guard=20, ratio="", cap="slot_capacity = 5")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("HALLQ_ID_KEY_FILE", str(tmp_path / "id.key"))
    database = f"sqlite:///{tmp_path / 'east.sqlite3'}"
    # The command runs on the hall's clock: Wednesday 25 November 2026, so the bookings of the
    # 26th and 27th are the next working days.
    monkeypatch.setenv("HALLQ_CLOCK_START", "2026-11-25T10:00:00+08:00")
    day, after = date(2026, 11, 26), date(2026, 11, 27)
    text = GOOD_CSV.replace("TAX", "SOC").replace("2026-11-26", f"{day}")
    good = tmp_path / "bookings.csv"
    good.write_text(text.replace("2026-11-27", f"{after}"), encoding="utf-8")
    args = [
        "bookings",
        "import",
        str(good),
        "--hall",
        "east",
        "--config",
        str(config),
        "--database",
        database,
    ]

    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    assert "3 booking(s) imported" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(args)
    assert "0 booking(s) imported, 3 already there" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main([*args[:2], str(bad), *args[3:]])
    assert done.value.code == 1
    assert "line 7: 6 columns, expected 7" in capsys.readouterr().err
