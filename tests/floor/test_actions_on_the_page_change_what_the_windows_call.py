"""The duty lead's taps change the hall: a window given another service calls from that
queue at its next call-next, and a service whose issuing is stopped refuses new tickets."""

from __future__ import annotations

from tests.floor.conftest import Floor, floor_page, wait_until

TAX_TILE = "document.querySelector('#services [data-service=\"TAX\"]')"
WINDOW_2 = "document.querySelector('#windows [data-window=\"2\"]')"


def test_reassigning_window_2_makes_it_call_the_soc_queue(floor: Floor) -> None:
    soc = floor.api.post("/tickets", json={"service": "SOC"}).json()
    # Window 2 serves only TAX: nothing for it to call.
    assert floor.api.post("/windows/2/call-next").status_code == 204
    with floor_page(floor) as page:
        page.evaluate(f"{WINDOW_2}.querySelector('button.reassign').click()")
        wait_until(page, "document.getElementById('reassign').open")
        page.evaluate(
            """(() => {
              const d = document.getElementById('reassign');
              d.querySelector('input[value="TAX"]').checked = false;
              d.querySelector('input[value="SOC"]').checked = true;
              document.getElementById('reassign-save').click();
            })()"""
        )
        wait_until(page, f"{WINDOW_2}.querySelector('.window-services').textContent === 'SOC×1'")
    called = floor.api.post("/windows/2/call-next")
    assert called.status_code == 200, called.text
    assert called.json()["number"] == soc["number"]


def test_stopping_issuing_on_the_page_makes_the_kiosk_refuse(floor: Floor) -> None:
    assert floor.api.post("/tickets", json={"service": "TAX"}).status_code == 201
    with floor_page(floor) as page:
        page.evaluate(f"{TAX_TILE}.querySelector('button.stop-issuing').click()")
        wait_until(page, f"{TAX_TILE}.querySelector('.stopped') !== null")
        refused = floor.api.post("/tickets", json={"service": "TAX"})
        assert refused.status_code == 409
        assert refused.json()["error"] == "issuing_stopped"
        assert "TAX" in refused.json()["message"]
        assert floor.api.post("/tickets", json={"service": "SOC"}).status_code == 201

        page.evaluate(f"{TAX_TILE}.querySelector('button.resume-issuing').click()")
        wait_until(page, f"{TAX_TILE}.querySelector('.stopped') === null")
    assert floor.api.post("/tickets", json={"service": "TAX"}).status_code == 201
