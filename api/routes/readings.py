"""Readings of the caller's tenant: raw pages, buckets at any interval, latest values, CSV export."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import AsyncIterator, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated

import anyio
import psycopg
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import Conn, ViewCacheDep, Viewer, get_connections
from api.json_body import json_bytes, json_response
from api.problems import ProblemError
from api.routes.devices import CursorQ, decode_cursor, next_page
from api.schemas import BucketSeries, LatestOut, RawPage
from store import readings
from store.readings import align

router = APIRouter(prefix="/readings", tags=["readings"])

MAX_BUCKETS = 10_000
INTERVAL_PATTERN = r"^[1-9][0-9]{0,6}(s|m|h|d)$"
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}

DeviceQ = Annotated[str, Query(description="Device id.", min_length=1)]
MetricQ = Annotated[str, Query(description="Metric name, e.g. pm25.", min_length=1)]
StartQ = Annotated[datetime | None, Query(description="Inclusive start (ISO-8601); default: end − 24 h.")]
EndQ = Annotated[datetime | None, Query(description="Exclusive end (ISO-8601); default: now.")]


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _bounded(t: datetime, field: str) -> datetime:
    try:
        utc = _utc(t)
    except OverflowError:
        utc = EARLIEST if t.year < 1970 else LATEST
    if not EARLIEST <= utc < LATEST:
        raise ProblemError(
            422,
            f"query.{field}: {t.isoformat()} is out of range; use a time from 1970 up to 2200",
            kind="invalid-request",
        )
    return utc


def time_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """[start, end) in UTC with the defaults filled; a naive time is taken as UTC."""
    stop = _bounded(end, "end") if end else datetime.now(UTC)
    begin = _bounded(start, "start") if start else max(stop - timedelta(hours=24), EARLIEST)
    if begin >= stop:
        raise ProblemError(
            422,
            f"query.start ({begin.isoformat()}) must be before query.end ({stop.isoformat()})",
            kind="invalid-request",
        )
    return begin, stop


MAX_INTERVAL = timedelta(days=366)


def parse_interval(text: str) -> timedelta:
    """`30s`, `5m`, `1h`, `1d`... as a timedelta of at most MAX_INTERVAL."""
    if re.fullmatch(INTERVAL_PATTERN, text) is None:  # the Query pattern refuses it first
        raise ProblemError(422, f"query.interval: {text!r} is no interval; use e.g. 30s, 5m, 1h, 1d")
    width = timedelta(seconds=int(text[:-1]) * _UNIT_S[text[-1]])
    if width > MAX_INTERVAL:
        raise ProblemError(
            422, f"query.interval: {text} is longer than the longest bucket, 366d", kind="invalid-request"
        )
    return width


def _series(conn: Conn, tenant: str, device_id: str, metric: str) -> readings.SeriesRef:
    series = readings.find_series(conn, tenant, device_id, metric)
    if series is None:
        raise ProblemError(
            404, f"no readings of metric {metric!r} for device {device_id!r} in your tenant", kind="not-found"
        )
    return series


@router.get("/raw", response_model=RawPage, summary="Raw readings of one series, oldest first, by cursor")
def raw(
    principal: Viewer,
    conn: Conn,
    device_id: DeviceQ,
    metric: MetricQ,
    start: StartQ = None,
    end: EndQ = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    cursor: CursorQ = None,
) -> Response:
    begin, stop = time_range(start, end)
    series = _series(conn, principal.tenant, device_id, metric)
    after = None
    if cursor:
        try:
            after = datetime.fromisoformat(decode_cursor(cursor))
        except ValueError:
            raise ProblemError(
                422, "query.cursor: not a cursor this API issued", kind="invalid-request"
            ) from None
    rows = readings.raw_page(conn, series.id, begin, stop, after=after, limit=limit + 1)
    page, next_cursor = next_page(rows, limit, lambda r: r.time.isoformat())
    return json_response(
        {
            "device_id": device_id,
            "metric": metric,
            "items": [{"time": r.time, "value": r.value, "quality": r.quality, "bad": r.bad} for r in page],
            "next_cursor": next_cursor,
        }
    )


@router.get(
    "/buckets",
    response_model=BucketSeries,
    summary="Aggregates (count, avg, min, max, last) per bucket of any interval",
    description="Whole buckets covering [start, end), aligned to 2000-01-01T00:00Z. Read from the 1-hour or "
    "1-minute rollups when the interval is a whole number of hours or minutes, from raw readings "
    "otherwise. Readings flagged bad are left out.",
)
def bucketed(
    principal: Viewer,
    conn: Conn,
    cache: ViewCacheDep,
    device_id: DeviceQ,
    metric: MetricQ,
    interval: Annotated[
        str, Query(pattern=INTERVAL_PATTERN, description="Bucket width: a number and s, m, h or d (5m, 1h).")
    ],
    start: StartQ = None,
    end: EndQ = None,
) -> Response:
    begin, stop = time_range(start, end)
    width = parse_interval(interval)
    first, last = align(begin, stop, width)
    count = (last - first) // width
    if count > MAX_BUCKETS:
        raise ProblemError(
            422,
            f"query.interval: {interval} over this range makes {count} buckets; at most {MAX_BUCKETS} "
            "are served — choose a wider interval or a shorter range",
            kind="invalid-request",
        )
    series = _series(conn, principal.tenant, device_id, metric)

    def answer() -> bytes:
        source, rows = readings.buckets(conn, series.id, begin, stop, width)
        return json_bytes(
            {
                "device_id": device_id,
                "metric": metric,
                "interval_s": int(width.total_seconds()),
                "source": source,
                "buckets": rows,  # store.readings.Bucket: the fields of BucketOut
            }
        )

    # The buckets change only when the device's readings are written (data_at moves) or, for a range
    # ending now, when the clock opens the next bucket (`last` moves); the cache's age bound covers
    # what neither shows (rollups rebuilt by hand, retention).
    key = ("buckets", series.id, width, first, last, series.data_at)
    return json_response(cache.get_or_compute(key, answer))


@router.get("/latest", response_model=list[LatestOut], summary="Newest reading per device and metric")
def latest(
    principal: Viewer,
    conn: Conn,
    device_id: Annotated[str | None, Query(description="Only this device.")] = None,
    site: Annotated[str | None, Query(description="Only devices of this site.")] = None,
    area: Annotated[str | None, Query(description="Only devices of this area.")] = None,
    metric: Annotated[str | None, Query(description="Only this metric.")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Response:
    rows = readings.latest(
        conn, principal.tenant, device_id=device_id, site=site, area=area, metric=metric, limit=limit
    )
    return json_response(
        [
            {
                "device_id": r.device_id,
                "metric": r.metric,
                "time": r.time,
                "value": r.value,
                "quality": r.quality,
                "bad": r.bad,
            }
            for r in rows
        ]
    )


EXPORT_CHUNK = 1000


def _csv_chunk(rows: Iterator[tuple[datetime, str, str, float, int]]) -> str:
    """The next EXPORT_CHUNK rows as CSV lines ('' when there are no more)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for t, dev, met, value, quality in itertools.islice(rows, EXPORT_CHUNK):
        writer.writerow((t.isoformat(), dev, met, repr(value), quality))
    return buffer.getvalue()


def _end_export(rows: Generator[object, None, None], conn: psycopg.Connection) -> None:
    rows.close()
    conn.rollback()


@router.get(
    "/export.csv",
    summary="Every reading of a device in a range as CSV (streamed)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "time,device_id,metric,value,quality"}},
)
def export_csv(
    request: Request,
    principal: Viewer,
    conn: Conn,
    device_id: DeviceQ,
    start: StartQ = None,
    end: EndQ = None,
    metric: Annotated[str | None, Query(description="Only this metric; default all.")] = None,
) -> StreamingResponse:
    begin, stop = time_range(start, end)
    if not readings.device_exists(conn, principal.tenant, device_id):
        raise ProblemError(404, f"no device {device_id!r} in your tenant", kind="not-found")
    connections = get_connections(request)
    tenant = principal.tenant

    async def lines() -> AsyncIterator[str]:
        # The connection comes from the worker's slots on the event loop; the rows are read in
        # chunks in a thread, from a server-side cursor inside one read-only transaction.
        async with connections.connection() as export_conn:
            export_conn.autocommit = False  # the cursor lives in a transaction (reset on return)
            rows = readings.export_rows(export_conn, tenant, device_id, begin, stop, metric)
            try:
                yield "time,device_id,metric,value,quality\n"
                while chunk := await run_in_threadpool(_csv_chunk, rows):
                    yield chunk
            finally:
                # also when the client went away: the cursor is closed and the transaction ended
                # before the connection goes back, never later on someone else's request
                with anyio.CancelScope(shield=True):
                    await run_in_threadpool(_end_export, rows, export_conn)

    filename = f"{device_id}_{begin:%Y%m%dT%H%M%SZ}_{stop:%Y%m%dT%H%M%SZ}.csv"
    return StreamingResponse(
        lines(), media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
