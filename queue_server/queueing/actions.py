"""What the simulated people do, as plain data: the engine yields these, a driver performs
them (in memory, through the service layer, or over HTTP) and sends back the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from queue_server.domain.tickets import CaseType
from queue_server.queueing.planning import Visitor


@dataclass(frozen=True)
class Issue:
    """A visitor takes a number at a kiosk; answered with Issued, or None if refused."""

    at: datetime
    visitor: Visitor


@dataclass(frozen=True)
class CallNext:
    """A clerk presses "next"; answered with Called, or None if nothing waits."""

    at: datetime
    window: int


@dataclass(frozen=True)
class Recall:
    at: datetime
    window: int
    ticket: str


@dataclass(frozen=True)
class Start:
    at: datetime
    window: int
    ticket: str


@dataclass(frozen=True)
class NoShow:
    at: datetime
    window: int
    ticket: str


@dataclass(frozen=True)
class Finish:
    at: datetime
    window: int
    ticket: str
    case_type: CaseType


@dataclass(frozen=True)
class Rate:
    """Ratings hook: drivers without a rating endpoint ignore it."""

    at: datetime
    window: int
    ticket: str
    score: int


# Marks the pauses the simulator takes, so a live run can undo its own and no one else's.
SIMULATED_PAUSE = "hallq simulate"


@dataclass(frozen=True)
class Pause:
    at: datetime
    window: int
    reason: str
    note: str = SIMULATED_PAUSE


@dataclass(frozen=True)
class Resume:
    at: datetime
    window: int


@dataclass(frozen=True)
class SignIn:
    """The window's clerk signs in (签到) before a session."""

    at: datetime
    window: int


@dataclass(frozen=True)
class SignOut:
    at: datetime
    window: int


Action = (
    Issue | CallNext | Recall | Start | NoShow | Finish | Rate | Pause | Resume | SignIn | SignOut
)


@dataclass(frozen=True)
class Issued:
    ticket: str
    number: str


@dataclass(frozen=True)
class Called:
    ticket: str
    number: str
    service: str
