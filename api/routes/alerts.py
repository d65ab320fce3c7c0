"""Alerts of the caller's tenant: list and read with their history, acknowledge, resolve, and a
Server-Sent Events stream of every change."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from alerts.lifecycle import AlertNotFoundError, AlertStateError, acknowledge, resolve
from api.deps import Conn, Operator, Viewer, get_connections
from api.json_body import json_response
from api.problems import PROBLEM_JSON, ProblemError, documented
from api.routes.devices import CursorQ, decode_cursor, next_page
from api.schemas import (
    AlertChangeOut,
    AlertDetail,
    AlertEventOut,
    AlertOut,
    AlertPage,
    AlertStateName,
    Problem,
)
from store.alert_pages import alert_changes_after, alerts_page, last_alert_event_id
from store.alert_rows import AlertChange, AlertRow, EventRow, alert_events, get_alert

router = APIRouter(prefix="/alerts", tags=["alerts"])

POLL_S = 0.5  # how often the stream looks for new events
KEEPALIVE_S = 15.0  # a comment line this often keeps proxies from closing an idle stream
LATE_S = 5.0  # events committed out of id order up to this late are still sent
STREAM_BATCH = 500


def alert_fields(row: AlertRow) -> dict[str, object]:
    """An alert as the fields of AlertOut (the list serializes these at once; the others validate)."""
    return {
        "id": row.id,
        "rule_id": row.rule_id,
        "area": row.area,
        "device_id": row.device_id,
        "site": row.site,
        "state": row.state,
        "severity": row.severity,
        "level": row.level,
        "value": row.value,
        "title_en": str(row.labels.get("title_en", row.rule_id)),
        "title_zh": str(row.labels.get("title_zh", row.rule_id)),
        "message_en": row.message_en,
        "message_zh": row.message_zh,
        "started_at": row.started_at,
        "fired_at": row.fired_at,
        "acknowledged_at": row.acknowledged_at,
        "acknowledged_by": row.acknowledged_by,
        "resolved_at": row.resolved_at,
        "updated_at": row.updated_at,
    }


def alert_out(row: AlertRow) -> AlertOut:
    return AlertOut.model_validate(alert_fields(row))


def event_out(row: EventRow) -> AlertEventOut:
    return AlertEventOut(
        id=row.id,
        alert_id=row.alert_id,
        at=row.at,
        actor=row.actor,
        old_state=row.old_state,
        new_state=row.new_state,
        old_severity=row.old_severity,
        new_severity=row.new_severity,
        value=row.value,
        note=row.note,
    )


def _utc(t: datetime | None) -> datetime | None:
    return None if t is None else (t.replace(tzinfo=UTC) if t.tzinfo is None else t)


def _cursor_id(cursor: str) -> int:
    text = decode_cursor(cursor)
    if not text.isdigit():
        raise ProblemError(
            422,
            "query.cursor: not a cursor this API issued; pass `next_cursor` of the previous page",
            kind="invalid-request",
        )
    return int(text)


def _own_alert(conn: Conn, tenant: str, alert_id: int) -> AlertRow:
    row = get_alert(conn, alert_id)
    if row is None or row.tenant != tenant:
        raise ProblemError(404, f"no alert {alert_id} in your tenant", kind="not-found")
    return row


@router.get("", response_model=AlertPage, summary="List alerts, newest first (filtered, paginated)")
def list_alerts(
    principal: Viewer,
    conn: Conn,
    state: Annotated[
        list[AlertStateName] | None, Query(description="One or more states; default: all.")
    ] = None,
    severity: Annotated[
        int | None, Query(ge=1, le=4, description="Minimum severity: 1 info, 2 warning, 3 major, 4 critical.")
    ] = None,
    area: Annotated[str | None, Query(description="Area id, e.g. city.")] = None,
    site: Annotated[str | None, Query(description="Site, e.g. a station or road segment.")] = None,
    device_id: Annotated[str | None, Query(description="Device id.")] = None,
    rule_id: Annotated[str | None, Query(description="Rule id, e.g. city.fog.")] = None,
    start: Annotated[datetime | None, Query(description="Alerts started at or after (ISO-8601).")] = None,
    end: Annotated[datetime | None, Query(description="Alerts started before (ISO-8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorQ = None,
) -> Response:
    begin, stop = _utc(start), _utc(end)
    if begin is not None and stop is not None and begin >= stop:
        raise ProblemError(
            422,
            f"query.start ({begin.isoformat()}) must be before query.end ({stop.isoformat()})",
            kind="invalid-request",
        )
    rows = alerts_page(
        conn,
        principal.tenant,
        states=state or None,
        min_severity=severity,
        area=area,
        site=site,
        device_id=device_id,
        rule_id=rule_id,
        started_from=begin,
        started_before=stop,
        before_id=_cursor_id(cursor) if cursor else None,
        limit=limit + 1,
    )
    page, next_cursor = next_page(rows, limit, lambda r: str(r.id))
    return json_response(
        {
            "items": [alert_fields(r) for r in page],  # the fields of AlertOut, serialized once
            "next_cursor": next_cursor,
        }
    )


_SSE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "`text/event-stream`: one event per alert change, `id:` the event id, `event: "
        "alert`, `data:` an AlertChangeOut JSON document; `: keepalive` comments while idle.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    406: {
        "model": Problem,
        "content": {PROBLEM_JSON: {}},
        "description": "The request did not ask for `Accept: text/event-stream`",
    },
}


def _sse(change: AlertChange) -> str:
    data = AlertChangeOut(event=event_out(change.event), alert=alert_out(change.alert)).model_dump_json()
    return f"id: {change.event.id}\nevent: alert\ndata: {data}\n\n"


class _Cursor:
    """Where a stream stands: ids sent lately are remembered for LATE_S, so an event whose
    transaction committed after one with a higher id is still sent (once)."""

    def __init__(self, after: int) -> None:
        self.floor = after  # every event up to here is sent or was never committed in time
        self.recent: dict[int, float] = {}

    def fresh(self, changes: list[AlertChange]) -> list[AlertChange]:
        now = time.monotonic()
        out = [c for c in changes if c.event.id not in self.recent]
        for c in out:
            self.recent[c.event.id] = now
        for event_id, sent in list(self.recent.items()):
            if now - sent > LATE_S:
                del self.recent[event_id]
                self.floor = max(self.floor, event_id)
        return out


@router.get(
    "/stream",
    summary="Server-Sent Events of alert changes; resumable with Last-Event-ID",
    description="Every alert event of the key's tenant (opened, pending, firing, escalated, "
    "acknowledged, resolved, silenced) as it is recorded. Send `Accept: text/event-stream` (as "
    "EventSource does). Without `Last-Event-ID` the stream starts with the next change; with it, the "
    "events after that id are replayed first, then the stream goes live.",
    response_class=StreamingResponse,
    responses=_SSE_RESPONSES,
)
async def stream(
    request: Request,
    principal: Viewer,
    conn: Conn,
    last_event_id: Annotated[
        str | None, Header(alias="Last-Event-ID", description="The `id:` of the last event received.")
    ] = None,
) -> StreamingResponse:
    if "text/event-stream" not in request.headers.get("accept", ""):
        raise ProblemError(
            406,
            "this is a Server-Sent Events stream that does not end: send `Accept: text/event-stream` "
            "(EventSource does)",
            kind="not-acceptable",
        )
    if last_event_id is None or not last_event_id.strip():
        after = await run_in_threadpool(last_alert_event_id, conn)
    elif last_event_id.strip().isdigit() and len(last_event_id.strip()) < 19:
        after = int(last_event_id.strip())
    else:
        raise ProblemError(
            422,
            f"header.Last-Event-ID: {last_event_id!r} is not an event id of this stream; "
            "send the `id:` of the last event received (a whole number)",
            kind="invalid-request",
        )
    connections = get_connections(request)
    tenant = principal.tenant

    async def changes() -> AsyncIterator[str]:
        cursor = _Cursor(after)
        idle = 0.0
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            async with connections.connection() as poll_conn:
                batch = await run_in_threadpool(
                    alert_changes_after, poll_conn, tenant, cursor.floor, STREAM_BATCH
                )
            fresh = cursor.fresh(batch)
            for change in fresh:
                yield _sse(change)
            if fresh:
                idle = 0.0
            if len(batch) == STREAM_BATCH and fresh:
                continue  # more are waiting
            await asyncio.sleep(POLL_S)
            idle += POLL_S
            if idle >= KEEPALIVE_S:
                idle = 0.0
                yield ": keepalive\n\n"

    return StreamingResponse(
        changes(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/{alert_id}", response_model=AlertDetail, summary="One alert with its event history")
def get_one(alert_id: int, principal: Viewer, conn: Conn) -> AlertDetail:
    row = _own_alert(conn, principal.tenant, alert_id)
    events = [event_out(e) for e in alert_events(conn, alert_id)]
    return AlertDetail(**alert_out(row).model_dump(), events=events)


_CONFLICT = documented(409, "The action does not apply to the alert's state (the detail says why)")


def _act(conn: Conn, principal: Viewer, alert_id: int, action: str) -> AlertDetail:
    row = _own_alert(conn, principal.tenant, alert_id)
    wanted = "acknowledged" if action == "acknowledge" else "resolved"
    if row.state == wanted:
        by = f" by {row.acknowledged_by}" if wanted == "acknowledged" and row.acknowledged_by else ""
        raise ProblemError(409, f"alert {alert_id} is {wanted} already{by}; nothing changed", kind="conflict")
    do = acknowledge if action == "acknowledge" else resolve
    try:
        do(conn, alert_id, principal.name)
    except AlertNotFoundError:
        raise ProblemError(404, f"no alert {alert_id} in your tenant", kind="not-found") from None
    except AlertStateError as exc:
        raise ProblemError(409, str(exc), kind="conflict") from None
    return get_one(alert_id, principal, conn)


@router.post(
    "/{alert_id}/ack",
    response_model=AlertDetail,
    summary="Acknowledge a firing alert (operator)",
    responses=_CONFLICT,
)
def ack(alert_id: int, principal: Operator, conn: Conn) -> AlertDetail:
    return _act(conn, principal, alert_id, "acknowledge")


@router.post(
    "/{alert_id}/resolve",
    response_model=AlertDetail,
    summary="Resolve an open alert (operator); the rule opens a new one if its condition still holds",
    responses=_CONFLICT,
)
def resolve_one(alert_id: int, principal: Operator, conn: Conn) -> AlertDetail:
    return _act(conn, principal, alert_id, "resolve")
