"""The queue service: issuing tickets and moving them through the hall.

Each part lives in its own module; this class puts them together for the adapters.
"""

from __future__ import annotations

from queue_server.services.calling import CallingMixin
from queue_server.services.issuing import IssueRequest, IssuingMixin
from queue_server.services.window_moves import WindowMovesMixin
from queue_server.services.window_pauses import PAUSE_REASONS, WindowPausesMixin

__all__ = ["PAUSE_REASONS", "IssueRequest", "QueueService"]


class QueueService(IssuingMixin, CallingMixin, WindowMovesMixin, WindowPausesMixin):
    """Transactions around the hall's rules; one instance serves every hall of the server."""
