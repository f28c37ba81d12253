"""Halls, services with the five publics, the snapshot and the OpenAPI document."""

from __future__ import annotations

from tests.support.api import Api


def test_halls_say_whether_they_are_open(api: Api) -> None:
    halls = api.http.get("/api/v1/halls").json()
    assert [(h["id"], h["open_now"]) for h in halls] == [("test", True)]


def test_services_carry_the_five_publics_and_waiting_counts(api: Api) -> None:
    api.ticket("SOC")
    services = {s["code"]: s for s in api.http.get("/api/v1/halls/test/services").json()}
    soc = services["SOC"]
    assert soc["waiting"] == 1
    assert soc["publics"]["materials"][0] == {"zh": "身份证", "en": "ID card"}
    assert soc["windows"] == [1, 3]
    assert services["TAX"]["publics"]["time_limit_days"] == 3


def test_the_snapshot_shows_windows_queues_and_the_last_sequence(api: Api) -> None:
    first = api.ticket("SOC")
    api.ticket("TAX")
    api.call_next(1)
    snap = api.snapshot()
    assert snap["last_seq"] == 3
    window = next(w for w in snap["windows"] if w["number"] == 1)
    assert window["current"]["number"] == first["number"]
    assert {q["service"]: q["waiting"] for q in snap["queues"]} == {"SOC": 0, "TAX": 1, "RES": 0}


def test_every_route_has_an_operation_id(api: Api) -> None:
    document = api.http.get("/openapi.json").json()
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "issue_ticket" in ids and "call_next" in ids
