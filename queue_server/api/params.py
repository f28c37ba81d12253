"""Path and query parameters shared by the routes, each with the bounds the hall has.

Every integer that comes from a URL is bounded here, so no value reaches the database out of
the range of its column (a window number of 2^31 was a PostgreSQL "integer out of range" 500
before); FastAPI answers 422 naming the parameter, and the bounds are in the OpenAPI schema.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator

# Window numbers of a hall file are 1..999 (config/models.py WindowConfig.number).
WindowNo = Annotated[int, Path(ge=1, le=999, description="window number, 1 to 999")]
Year = Annotated[int, Path(ge=2000, le=2999, description="calendar year, e.g. 2026")]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    # Pydantic would take "0" or "1700000000" as a Unix timestamp; a day is written YYYY-MM-DD.
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("a day is written YYYY-MM-DD, e.g. 2026-11-25")
    return value


Day = Annotated[
    date | None,
    BeforeValidator(_iso_day),
    Query(description="a business day, YYYY-MM-DD (default: today)", examples=["2026-11-25"]),
]
