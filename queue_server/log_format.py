"""Logs for the journal: one JSON object per line, and never personal data.

Under systemd (HALLQ_LOG_FORMAT=json, set by the units) every record becomes one line
`{"ts", "level", "logger", "msg", ...}` on stdout, which journald stores as one entry;
`journalctl -u hallq-server -o cat | jq` reads them back.

The redaction filter is the last guard, not the first: code must not log names, phones or
ID numbers at all (common rules). It masks what can be recognised mechanically - mainland
mobile numbers, 18- and 15-digit resident ID numbers - in the message, its arguments and
any extra field, and marks the record `"redacted": true` so that the leak gets fixed at its
source. Names cannot be recognised this way; they must simply never be logged.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"
# Resident ID: 6-digit area, birth date 18xx-20xx, 3-digit sequence, check digit or X.
_ID_18 = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
_ID_15 = r"[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d{9}"
PERSONAL = re.compile(rf"(?<![\dA-Za-z])(?:{_ID_18}|{_ID_15}|{_MOBILE})(?![\dA-Za-z])")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(text: str) -> tuple[str, bool]:
    cleaned, count = PERSONAL.subn(REDACTED, text)
    return cleaned, count > 0


class RedactPersonalData(logging.Filter):
    """Masks phone and ID numbers in a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message, hit = redact(record.getMessage())
        if hit:
            record.msg, record.args = message, None
            record.redacted = True
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                cleaned, extra_hit = redact(value)
                if extra_hit:
                    setattr(record, key, cleaned)
                    record.redacted = True
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "color_message":
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc"], _ = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def log_config(level: str = "info", fmt: str = "json") -> dict[str, Any]:
    """A dictConfig for the root logger and uvicorn's, as `uvicorn.run(log_config=...)`."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "main",
        "filters": ["personal"],
    }
    quiet = {"handlers": ["stdout"], "level": level.upper(), "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"personal": {"()": f"{__name__}.RedactPersonalData"}},
        "formatters": {"main": formatter},
        "handlers": {"stdout": handler},
        "root": {"handlers": ["stdout"], "level": level.upper()},
        # uvicorn.error reaches the handler through "uvicorn"; its own would print twice.
        "loggers": {
            "uvicorn": quiet,
            "uvicorn.error": {"level": level.upper(), "propagate": True},
            "uvicorn.access": quiet,
        },
    }
