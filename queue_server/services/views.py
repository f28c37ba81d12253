"""What the service layer hands to adapters: plain data, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from queue_server.domain.estimate import WaitEstimate
from queue_server.storage.tables import Ticket, TicketRow


@dataclass(frozen=True)
class TicketView:
    id: str
    hall: str
    number: str
    service: str
    priority: str
    state: str
    recall_count: int
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    window: int | None
    case_type: str | None
    deadline: date | None
    transferred_from: str | None
    transferred_to: str | None
    target_window: int | None = None
    ahead: int | None = None
    estimated_wait: WaitEstimate | None = None

    @classmethod
    def of(
        cls,
        row: Ticket | TicketRow,
        *,
        ahead: int | None = None,
        estimate: WaitEstimate | None = None,
    ) -> TicketView:
        return cls(
            id=row.id,
            hall=row.hall_id,
            number=row.number,
            service=row.service_code,
            priority=row.priority,
            state=row.state,
            recall_count=row.recall_count,
            issued_at=row.issued_at,
            called_at=row.called_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            window=row.window_no,
            case_type=row.case_type,
            deadline=row.deadline,
            transferred_from=row.transferred_from,
            transferred_to=row.transferred_to,
            target_window=row.target_window,
            ahead=ahead,
            estimated_wait=estimate,
        )


@dataclass(frozen=True)
class IssuedTicket:
    ticket: TicketView
    replayed: bool


@dataclass(frozen=True)
class ClerkOnDuty:
    """Shown on the window display: name and staff number are public by regulation."""

    name: str
    staff_no: str


@dataclass(frozen=True)
class WindowView:
    number: int
    name: str
    is_open: bool
    paused: bool
    pause_reason: str | None
    paused_at: datetime | None
    services: dict[str, int]
    current: TicketView | None
    clerk: ClerkOnDuty | None = None

    @property
    def state(self) -> str:
        if not self.is_open:
            return "closed"
        if self.paused:
            return "paused"
        if self.current is not None:
            return self.current.state
        return "idle"


@dataclass(frozen=True)
class ServiceQueue:
    code: str
    waiting: int
    issuing_stopped: bool


@dataclass(frozen=True)
class Snapshot:
    hall: str
    last_seq: int
    at: datetime
    hall_state: str
    windows: list[WindowView]
    queues: list[ServiceQueue]
    waiting: list[TicketView]
