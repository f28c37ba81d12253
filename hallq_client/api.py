"""Async HTTP client for the hallq API (httpx)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from hallq_client import models
from hallq_client.events import EventStream

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# An idle kept-alive connection is dropped by this client before the server drops it: uvicorn
# closes one after 5 s, httpx kept it 5 s too, so a request sent just then went out on a
# connection being closed and came back "Server disconnected without sending a response"
# (a kiosk's catalog refresh after a quiet spell). A proxy may close sooner: see `request`.
KEEPALIVE_SECONDS = 2.0
# Read-only methods, sent again once on a new connection when a kept-alive one was closed
# under them. Others are not: the server may have acted before the connection went.
_REPEATABLE = frozenset({"GET", "HEAD", "OPTIONS"})


class ServerUnreachable(Exception):
    """The server did not answer (down, network cut, timed out). Nothing is known to be done."""


class ApiError(Exception):
    """The server answered with an error; `message` is meant to be shown to people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class HallqClient:
    def __init__(
        self,
        base_url: str,
        hall: str,
        *,
        token: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.hall = hall
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            headers=headers,
            transport=transport,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> HallqClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        try:
            try:
                response = await self._http.request(
                    method, path, json=json, headers=headers, params=params
                )
            except httpx.RemoteProtocolError:
                if method.upper() not in _REPEATABLE:
                    raise
                # The connection was closed as the request went out on it (a kept-alive one
                # that the server or a proxy had just given up): once more, on a new one.
                response = await self._http.request(
                    method, path, json=json, headers=headers, params=params
                )
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"the server at {self.base_url} did not answer: {exc}") from exc
        if response.status_code == 204:
            return None
        if response.status_code >= 400:
            try:
                body = response.json()
                code, message = body.get("error", "error"), body.get("message", response.text)
            except ValueError:
                code, message = "error", response.text or response.reason_phrase
            raise ApiError(response.status_code, code, message)
        return response.json()

    # ----- halls and services ------------------------------------------------------------

    async def halls(self) -> list[models.Hall]:
        return await self.request("GET", "/api/v1/halls")

    async def services(self) -> list[models.Service]:
        return await self.request("GET", f"/api/v1/halls/{self.hall}/services")

    async def snapshot(self) -> models.Snapshot:
        return await self.request("GET", f"/api/v1/halls/{self.hall}/snapshot")

    # ----- tickets -----------------------------------------------------------------------

    async def issue_ticket(
        self, service: str, priority: str = "normal", *, idempotency_key: str
    ) -> models.Ticket:
        """Take a number. Retrying with the same key can never issue a second ticket."""
        return await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/tickets",
            json={"service": service, "priority": priority},
            headers={"Idempotency-Key": idempotency_key},
        )

    async def ticket(self, ticket_id: str) -> models.Ticket:
        return await self.request("GET", f"/api/v1/tickets/{ticket_id}")

    # ----- appointments (docs/appointments.md) -------------------------------------------------

    async def check_in(
        self,
        *,
        code: str | None = None,
        phone: str | None = None,
        id_number: str | None = None,
        normal_if_early: bool = False,
    ) -> models.CheckIn:
        """签到: a booking by code, phone plus code, or ID number. Retrying is safe: the
        server hands back the ticket it already issued for the booking."""
        body: dict[str, Any] = {"normal_if_early": normal_if_early}
        for key, value in (("code", code), ("phone", phone), ("id_number", id_number)):
            if value:
                body[key] = value
        return await self.request("POST", f"/api/v1/halls/{self.hall}/bookings/check-in", json=body)

    async def present_id_card(self, id_number: str) -> models.CardPresented:
        """刷身份证: check in today's booking, or the services offered with their priority,
        or the numbers already taken today. The number travels in the body, never a URL."""
        return await self.request(
            "POST", f"/api/v1/halls/{self.hall}/id-card/present", json={"id_number": id_number}
        )

    async def issue_with_id_card(
        self, id_number: str, service: str, *, idempotency_key: str
    ) -> models.CardIssued:
        """A number linked to the card (the hall's daily limit). Retrying with the same key
        gets the same ticket."""
        return await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/id-card/tickets",
            json={"id_number": id_number, "service": service},
            headers={"Idempotency-Key": idempotency_key},
        )

    async def booking_slots(self, service: str | None = None) -> list[models.Slot]:
        params = {"service": service} if service else None
        return await self.request("GET", f"/api/v1/halls/{self.hall}/booking-slots", params=params)

    # ----- a window ----------------------------------------------------------------------

    def _window(self, window: int) -> str:
        return f"/api/v1/halls/{self.hall}/windows/{window}"

    async def call_next(self, window: int) -> models.Ticket | None:
        return await self.request("POST", f"{self._window(window)}/call-next")

    async def call_specific(self, window: int, ticket: str, reason: str | None) -> models.Ticket:
        return await self.request(
            "POST", f"{self._window(window)}/call", json={"ticket": ticket, "reason": reason}
        )

    async def ticket_action(
        self, window: int, ticket_id: str, action: str, body: dict[str, Any] | None = None
    ) -> models.Ticket:
        """recall, no-show, start, hold, return, transfer, finish."""
        return await self.request(
            "POST", f"{self._window(window)}/tickets/{ticket_id}/{action}", json=body
        )

    async def handover_note(self, window: int, ticket_id: str) -> str | None:
        """The sending window's note on a transferred ticket this window has called."""
        body: models.Handover = await self.request(
            "GET", f"{self._window(window)}/tickets/{ticket_id}/handover"
        )
        note = body["note"]
        return str(note) if note else None

    async def pause(self, window: int, reason: str, note: str | None = None) -> models.WindowState:
        return await self.request(
            "POST", f"{self._window(window)}/pause", json={"reason": reason, "note": note}
        )

    async def resume(self, window: int) -> models.WindowState:
        return await self.request("POST", f"{self._window(window)}/resume")

    # ----- devices (kiosk) ---------------------------------------------------------------

    async def request_help(
        self,
        device: str,
        *,
        request_id: str,
        screen: str | None = None,
        lang: str | None = None,
        ticket: str | None = None,
    ) -> models.Recorded:
        """呼叫帮助: alert the duty lead. Retrying with the same request_id records it once."""
        body = {"request_id": request_id, "screen": screen, "lang": lang, "ticket": ticket}
        return await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/devices/{device}/help",
            json={k: v for k, v in body.items() if v is not None},
        )

    async def report_device_status(self, device: str, status: dict[str, Any]) -> models.Recorded:
        """Device health (printer state, faults); the server records only what is news."""
        return await self.request(
            "POST", f"/api/v1/halls/{self.hall}/devices/{device}/status", json=status
        )

    async def take_lease(self, device: str, service: str, *, request_id: str) -> dict[str, Any]:
        """A block of today's numbers for issuing while cut off: {id, service, prefix,
        business_day, first, last, granted_at, expires_at}. Retrying with the same
        request_id gets the same block."""
        return await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/devices/{device}/leases",
            json={"service": service, "request_id": request_id},
        )

    async def release_lease(self, device: str, lease_id: str) -> dict[str, Any]:
        return await self.request(
            "POST", f"/api/v1/halls/{self.hall}/devices/{device}/leases/{lease_id}/release"
        )

    async def upload_journal(
        self, device: str, entries: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Tickets issued offline, each {key, lease, seq_no, priority, issued_at}; answers
        {key, number, ticket_id, replayed, clamped} per entry. Safe to repeat."""
        body = await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/devices/{device}/journal",
            json={"entries": entries},
        )
        return list(body["entries"])

    async def abandon_ticket(
        self, device: str, idempotency_key: str, *, reason: str
    ) -> dict[str, Any]:
        """Give up the ticket asked for under `idempotency_key` whose answer never came
        (reason: served_offline, sent_to_staff, kiosk_restarted or visitor_cancelled).
        Answers {idempotency_key, outcome: cancelled|already_cancelled|too_late|not_issued,
        ticket_id, number, state}. Safe to repeat."""
        return await self.request(
            "POST",
            f"/api/v1/halls/{self.hall}/devices/{device}/abandoned",
            json={"idempotency_key": idempotency_key, "reason": reason},
        )

    async def whoami(self) -> models.Principal:
        """Who this client's token is: {kind: staff|device, hall, name, device_kind...}."""
        return await self.request("GET", "/api/v1/auth/me")

    # ----- live event stream (hallq_client.events) ---------------------------------------

    def events(self, *, window: int | None = None, since: int | None = None) -> EventStream:
        """Follow the hall live: a snapshot or the events after `since`, then every new one."""
        auth = self._http.headers.get("Authorization")
        headers = {"Authorization": auth} if auth else None
        return EventStream(self.base_url, self.hall, window=window, since=since, headers=headers)

    # ----- staff: login and the clerk console (docs/access.md) --------------------------

    @property
    def has_token(self) -> bool:
        return "Authorization" in self._http.headers

    def set_token(self, token: str | None) -> None:
        """Use this bearer token from now on (after a login), or none (after a logout)."""
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        else:
            self._http.headers.pop("Authorization", None)

    async def login(self, staff_no: str, password: str) -> models.Login:
        """Log in and use the token: {token, expires_at, user: {staff_no, name, role, hall}}."""
        body: models.Login = await self.request(
            "POST", "/api/v1/auth/login", json={"staff_no": staff_no, "password": password}
        )
        self.set_token(body["token"])
        return body

    async def logout(self) -> None:
        await self.request("POST", "/api/v1/auth/logout")
        self.set_token(None)

    async def sign_in(self, window: int) -> models.SignIn:
        """Sign in to a window: {attendance: on_time|late|outside_hours, minutes_late...}."""
        return await self.request("POST", f"{self._window(window)}/sign-in")

    async def sign_out(self, window: int) -> models.SignIn:
        return await self.request("POST", f"{self._window(window)}/sign-out")

    async def window_today(self, window: int) -> models.WindowDay:
        return await self.request("GET", f"{self._window(window)}/today")

    async def give_notice(
        self, window: int, ticket_id: str, materials: list[str], note: str | None = None
    ) -> models.Notice:
        """一次性告知: record the missing materials; answers with the registration number."""
        return await self.request(
            "POST",
            f"{self._window(window)}/tickets/{ticket_id}/notice",
            json={"materials": materials, "note": note},
        )

    async def promised_deadline(self, service: str) -> str:
        body: models.Deadline = await self.request(
            "GET", f"/api/v1/halls/{self.hall}/services/{service}/promised-deadline"
        )
        return str(body["deadline"])

    async def open_promised_cases(self, window: int) -> list[models.OpenCase]:
        """承诺件 finished at this window and not yet concluded, the nearest deadline first:
        [{ticket_id, number, service, finished_on, deadline, working_days_left, overdue}];
        working_days_left is 0 when due today and negative once overdue."""
        return await self.request("GET", f"{self._window(window)}/promised-cases")

    async def conclude_case(
        self, window: int, ticket_id: str, concluded_on: date | None = None
    ) -> models.Conclusion:
        """办结 a promised case (once), on `concluded_on` or, left out, today (the hall's day):
        {ticket_id, number, window, deadline, concluded_on, overdue_working_days}."""
        body = {"concluded_on": concluded_on.isoformat()} if concluded_on else {}
        return await self.request(
            "POST", f"{self._window(window)}/tickets/{ticket_id}/conclude", json=body
        )

    # ----- rating (好差评), from a window display's token --------------------------------

    async def rating_options(self) -> models.RatingOptions:
        return await self.request("GET", "/api/v1/rating/options")

    async def rate(
        self,
        window: int,
        ticket_id: str,
        level: str,
        reasons: list[str] | None = None,
        phone: str | None = None,
    ) -> models.RatingRecorded:
        body: dict[str, Any] = {"level": level, "reasons": reasons or []}
        if phone:
            body["phone"] = phone
        return await self.request(
            "POST", f"{self._window(window)}/tickets/{ticket_id}/rating", json=body
        )
