"""The month's measures, its bulletin files and the yearly summary (supervision, the
administrator and the duty lead read them)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from queue_server.api.deps import ServicesDep
from queue_server.domain.errors import RuleViolation
from queue_server.domain.month_measures import Durations, MonthMeasures
from queue_server.reports.bulletin import month_bulletin
from queue_server.reports.charts import month_charts
from queue_server.reports.csv_files import table_csv
from queue_server.reports.html import render_html
from queue_server.reports.notice_pdf import render_notice_pdf
from queue_server.reports.notice_source import build_notice
from queue_server.reports.pdf import render_pdf
from queue_server.reports.scores import load_scores
from queue_server.reports.xlsx import render_xlsx
from queue_server.services.errors import NotFound

router = APIRouter(prefix="/api/v1", tags=["reports"])

MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value: Any) -> Any:
    """Dataclasses as JSON, with the derived figures (means, service levels) spelled out."""
    if isinstance(value, Durations):
        return {
            **dataclasses.asdict(value),
            "mean_seconds": value.mean_seconds,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for derived in ("service_level", "satisfaction"):
            if hasattr(type(value), derived):
                out[derived] = getattr(value, derived)
        return out
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _measures(services: ServicesDep, hall: str, month: str) -> MonthMeasures:
    return services.reports.month_measures(hall, month)


@router.get("/halls/{hall}/reports/months/{month}")
def month_measures(hall: str, month: str, services: ServicesDep) -> dict[str, Any]:
    """Everything the month measured from the event log (times in seconds)."""
    result: dict[str, Any] = jsonable_encoder(_plain(_measures(services, hall, month)))
    return result


@router.get("/halls/{hall}/reports/months/{month}/bulletin")
def month_bulletin_file(
    hall: str,
    month: str,
    services: ServicesDep,
    format: Literal["html", "pdf", "xlsx"] = Query("html"),
    edition: Literal["zh", "en"] = Query(
        "zh", description="PDF: zh the notice (通报) after GB/T 9704, en the English edition"
    ),
) -> Response:
    """The monthly operations bulletin (每月运行情况通报) as HTML, PDF or XLSX."""
    measures = _measures(services, hall, month)
    scores = load_scores(services.db, services.halls, services.clock, hall, measures.month)
    bulletin = month_bulletin(measures, services.clock.now(), scores)
    if format == "xlsx":
        body = render_xlsx(bulletin)
    elif format == "pdf" and edition == "zh":
        body = render_notice_pdf(
            build_notice(services.db, services.halls, services.clock, measures, scores)
        )
    elif format == "pdf":
        body = render_pdf(bulletin, month_charts(bulletin), "en")
    else:
        body = render_html(bulletin, month_charts(bulletin)).encode("utf-8")
    name = f"bulletin-{hall}-{measures.month}{'-en' if edition == 'en' else ''}.{format}"
    disposition = "inline" if format == "html" else "attachment"
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@router.get("/halls/{hall}/reports/months/{month}/tables/{table}")
def month_table_csv(hall: str, month: str, table: str, services: ServicesDep) -> Response:
    """One table of the bulletin as CSV (UTF-8 with BOM, for Excel): services, windows, staff,
    days, hours, waits, ratings, attendance, pauses, promised, overdue, out_of_order,
    follow_ups."""
    bulletin = month_bulletin(_measures(services, hall, month), services.clock.now())
    key = table.removesuffix(".csv")
    chosen = next((t for t in bulletin.tables if t.key == key), None)
    if chosen is None:
        known = ", ".join(t.key for t in bulletin.tables)
        raise NotFound(f"no table {key!r} in the bulletin (tables: {known})")
    return Response(
        table_csv(chosen),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{hall}-{month}-{key}.csv"'},
    )


@router.get("/halls/{hall}/reports/years/{year}")
def year_summary(hall: str, year: str, services: ServicesDep) -> dict[str, Any]:
    """The yearly summary: each month that has begun, and the year's totals."""
    if not year.isdigit() or len(year) != 4:
        raise RuleViolation(f"{year!r} is not a year like 2026", code="invalid_year")
    summary, _ = services.reports.year_summary(hall, int(year))
    result: dict[str, Any] = jsonable_encoder(_plain(summary))
    return result
