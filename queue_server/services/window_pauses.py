"""A window pausing with a reason and resuming."""

from __future__ import annotations

from queue_server.domain.errors import (
    RuleViolation,
    WindowBusy,
    WindowPaused,
)
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import mask_personal_data
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.queries import (
    current_ticket,
    lock_window,
)
from queue_server.services.queue_base import QueueBase

PAUSE_REASONS = ("break", "meeting", "backup_cover", "training", "other")


class WindowPausesMixin(QueueBase):
    def pause(
        self, hall_id: str, window_no: int, reason: str, note: str | None, actor: Actor = SYSTEM
    ) -> None:
        hall = self.halls.get(hall_id)
        if reason not in PAUSE_REASONS:
            raise RuleViolation(
                f"unknown pause reason {reason!r}; use one of {', '.join(PAUSE_REASONS)}",
                code="invalid_reason",
            )
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            window = lock_window(session, hall.id, window_no)
            if window.paused:
                raise WindowPaused(f"window {window_no} is already paused ({window.pause_reason})")
            current = current_ticket(session, hall.id, window_no)
            if current is not None:
                raise WindowBusy(
                    f"window {window_no} is serving {current.number}; finish, hold or transfer it "
                    "before pausing"
                )
            window.paused = True
            window.pause_reason = reason
            # Staff views only (floor monitor, the window's own day); masked like every note.
            window.pause_note = mask_personal_data(note) if note else None
            window.paused_at = now
            append_event(
                work,
                hall.id,
                EventKind.WINDOW_PAUSED,
                now,
                actor=actor,
                window=window_no,
                # The stream is public: it carries the reason code, never the typed note.
                payload={"reason": reason},
            )

    def resume(self, hall_id: str, window_no: int, actor: Actor = SYSTEM) -> None:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            window = lock_window(work.session, hall.id, window_no)
            if not window.paused:
                raise RuleViolation(f"window {window_no} is not paused", code="not_paused")
            paused_seconds = (
                int((now - window.paused_at).total_seconds()) if window.paused_at else 0
            )
            reason = window.pause_reason
            window.paused = False
            window.pause_reason = None
            window.pause_note = None
            window.paused_at = None
            append_event(
                work,
                hall.id,
                EventKind.WINDOW_RESUMED,
                now,
                actor=actor,
                window=window_no,
                payload={"reason": reason, "paused_seconds": paused_seconds},
            )

    # ----- helpers -----------------------------------------------------------------------
