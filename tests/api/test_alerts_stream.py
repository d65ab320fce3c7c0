"""The Server-Sent Events stream of alert changes: live, resumable with Last-Event-ID, one tenant's."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import psycopg

from store.alert_rows import alert_events
from store.db_url import libpq_url
from tests.api.conftest import KeyFactory
from tests.api.rig import Server, bearer
from tests.api.test_alerts import escalate, open_alert

SSE = {"Accept": "text/event-stream"}
# Idle streams send a comment every 15 s: a read timeout below that makes a missing event fail the
# test instead of hanging it.
WAIT = 10.0


def events(lines: Iterator[str]) -> Iterator[tuple[int, dict[str, object]]]:
    """(id, data) of each event of an SSE stream, comments and `retry:` skipped."""
    event_id: int | None = None
    data = ""
    for line in lines:
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event_id is not None:
            yield event_id, json.loads(data)
            event_id, data = None, ""


def test_resuming_with_last_event_id_replays_exactly_the_missed_events_then_goes_live(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    seen = open_alert(api_db, "tenant-a", "d-1", severity=2)
    last_seen = alert_events(api_db, seen)[-1].id
    missed_alert = open_alert(api_db, "tenant-a", "d-2")
    open_alert(api_db, "tenant-b", "b-1")  # another tenant's: never in A's stream
    escalate(api_db, seen, 4)
    missed = [e.id for e in alert_events(api_db, missed_alert)] + [alert_events(api_db, seen)[-1].id]
    key = make_key("tenant-a", "viewer")
    headers = {**bearer(key), **SSE, "Last-Event-ID": str(last_seen)}
    with client.stream("GET", "/alerts/stream", headers=headers, timeout=WAIT) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        received = events(response.iter_lines())
        replayed = [next(received) for _ in missed]
        assert [event_id for event_id, _ in replayed] == sorted(missed)
        first = replayed[0][1]
        assert first["alert"]["id"] == missed_alert and first["event"]["new_state"] == "firing"  # type: ignore[index]
        assert replayed[-1][1]["event"]["new_severity"] == 4  # type: ignore[index]

        open_alert(api_db, "tenant-b", "b-2")
        live = open_alert(api_db, "tenant-a", "d-3", state="pending")
        event_id, data = next(received)
        assert event_id == alert_events(api_db, live)[0].id
        assert data["alert"]["id"] == live and data["alert"]["state"] == "pending"  # type: ignore[index]


def test_acting_through_the_api_shows_in_the_stream(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1")
    operator = bearer(make_key("tenant-a", "operator", name="desk"))
    with client.stream("GET", "/alerts/stream", headers={**operator, **SSE}, timeout=WAIT) as response:
        received = events(response.iter_lines())
        assert client.post(f"/alerts/{alert_id}/ack", headers=operator).status_code == 200
        event_id, data = next(received)
    assert data["event"] == {  # type: ignore[comparison-overlap]
        **data["event"],  # type: ignore[dict-item]
        "actor": "desk",
        "old_state": "firing",
        "new_state": "acknowledged",
    }
    assert event_id == alert_events(api_db, alert_id)[-1].id


def test_a_stream_without_last_event_id_starts_with_the_next_change(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    open_alert(api_db, "tenant-a", "d-1")
    with client.stream(
        "GET", "/alerts/stream", headers={**bearer(make_key("tenant-a", "viewer")), **SSE}, timeout=WAIT
    ) as r:
        received = events(r.iter_lines())
        later = open_alert(api_db, "tenant-a", "d-2")
        assert next(received)[1]["alert"]["id"] == later  # type: ignore[index]


def test_the_stream_needs_an_event_stream_accept_and_a_numeric_last_event_id(
    client: httpx.Client, make_key: KeyFactory
) -> None:
    key = bearer(make_key("tenant-a", "viewer"))
    plain = client.get("/alerts/stream", headers=key)
    assert plain.status_code == 406 and "Accept: text/event-stream" in plain.json()["detail"]
    wrong = client.get("/alerts/stream", headers={**key, **SSE, "Last-Event-ID": "abc"})
    assert wrong.status_code == 422 and "Last-Event-ID" in wrong.json()["detail"]


def test_an_event_committed_after_a_newer_one_is_still_sent(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection, server: Server
) -> None:
    """Event ids are handed out at insert, rows become visible at commit: a slow transaction's
    lower id must not be skipped by a stream that already sent a higher one."""
    with (
        client.stream(
            "GET", "/alerts/stream", headers={**bearer(make_key("tenant-a", "viewer")), **SSE}, timeout=WAIT
        ) as r,
        psycopg.connect(libpq_url(server.settings.database_url)) as slow,
    ):
        received = events(r.iter_lines())
        with slow.transaction():
            held = open_alert(slow, "tenant-a", "d-slow")
            quick = open_alert(api_db, "tenant-a", "d-quick")
            assert next(received)[1]["alert"]["id"] == quick  # type: ignore[index]
            time.sleep(1.5)  # the stream polls again meanwhile and sees only the quick one
        event_id, data = next(received)
    assert data["alert"]["id"] == held  # type: ignore[index]
    assert event_id < alert_events(api_db, quick)[0].id
