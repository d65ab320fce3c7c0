"""What the notification tests share: alerts and events written as the lifecycle writes them, a
real webhook receiver on 127.0.0.1, and settings for a dispatcher."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb
from pydantic import SecretStr

from core.settings import Settings

SECRET = "test-shared-secret-0123456789"


def notify_settings(base: Settings, routes: Sequence[dict[str, Any]], **changes: Any) -> Settings:
    """`base` with these routes, the test secret and quick polling (plus any other changes)."""
    update: dict[str, Any] = {
        "notify_routes": orjson.dumps(list(routes)).decode(),
        "notify_webhook_secret": SecretStr(SECRET),
        "notify_poll_s": 0.05,
        "notify_workers": 2,
    }
    update.update(changes)
    return base.model_copy(update=update)


def add_alert(
    db: psycopg.Connection,
    *,
    rule_id: str = "city.fog_visibility",
    area: str = "city",
    tenant: str = "t1",
    device: str | None = "vis-k100",
    site: str = "G15-K100",
    state: str = "firing",
    severity: int = 3,
    level: str | None = "orange",
    value: float | None = 180.0,
    title: tuple[str, str] = ("Fog", "大雾"),
    message: tuple[str, str] = ("Visibility 180 m: limit 60 km/h", "能见度 180 米：限速 60 km/h"),
    routed: bool = False,
    note: str = "",
) -> tuple[int, int]:
    """An alert and its first event (None → `state`), as the lifecycle writes them: (alert id, event id)."""
    labels = {
        "rule_id": rule_id,
        "area": area,
        "device_id": device,
        "site": site,
        "tenant": tenant,
        "level": level,
        "title_en": title[0],
        "title_zh": title[1],
    }
    with db.transaction():
        row = db.execute(
            "INSERT INTO alerts (fingerprint, rule_id, area, tenant, device_id, site, state, severity, "
            "level, value, labels, message_en, message_zh, fired_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now()) RETURNING id",
            (
                uuid.uuid4().hex,
                rule_id,
                area,
                tenant,
                device,
                site,
                state,
                severity,
                level,
                value,
                Jsonb(labels),
                message[0],
                message[1],
            ),
        ).fetchone()
        assert row is not None
        alert_id = int(row[0])
        event_id = _event(db, alert_id, None, state, None, severity, value, routed, note)
    return alert_id, event_id


def change(
    db: psycopg.Connection,
    alert_id: int,
    new_state: str,
    *,
    severity: int | None = None,
    level: str | None = None,
    value: float | None = None,
    routed: bool = False,
    note: str = "",
    actor: str = "system",
) -> int:
    """Move an alert to `new_state` (and `severity`) and record the event, in one transaction."""
    with db.transaction():
        row = db.execute(
            "SELECT state, severity FROM alerts WHERE id = %s FOR UPDATE", (alert_id,)
        ).fetchone()
        assert row is not None
        old_state, old_severity = row
        db.execute(
            "UPDATE alerts SET state = %s, severity = coalesce(%s, severity), level = coalesce(%s, level), "
            "value = coalesce(%s, value), updated_at = now(), "
            "resolved_at = CASE WHEN %s = 'resolved' THEN now() END WHERE id = %s",
            (new_state, severity, level, value, new_state, alert_id),
        )
        new_severity = severity if severity is not None else old_severity
        return _event(
            db, alert_id, old_state, new_state, old_severity, new_severity, value, routed, note, actor
        )


def _event(
    db: psycopg.Connection,
    alert_id: int,
    old_state: str | None,
    new_state: str,
    old_severity: int | None,
    new_severity: int | None,
    value: float | None,
    routed: bool,
    note: str,
    actor: str = "system",
) -> int:
    row = db.execute(
        "INSERT INTO alert_events (alert_id, actor, old_state, new_state, old_severity, new_severity, value, "
        "note, routed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, CASE WHEN %s THEN now() END) RETURNING id",
        (alert_id, actor, old_state, new_state, old_severity, new_severity, value, note, routed),
    ).fetchone()
    assert row is not None
    return int(row[0])


def outbox(db: psycopg.Connection) -> list[dict[str, Any]]:
    """Every outbox row, oldest first, as dicts."""
    cur = db.execute(
        "SELECT id, alert_event_id, channel, target, status, attempts, last_error, sent_at, "
        "next_attempt_at, idempotency_key, payload FROM notification_outbox ORDER BY id"
    )
    names = [c.name for c in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not met within {timeout} s")


@dataclass
class Received:
    """One request as the receiver saw it."""

    at: float
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    answered: bool = False

    @property
    def key(self) -> str:
        return self.headers.get("idempotency-key", "")

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that records requests and answers from a script.

    `script`: statuses for the next requests, in order (200 once it is used up); `headers` are
    added to every answer. `hold_at`: the n-th request (1-based) is held until `release` is set,
    with `holding` set meanwhile.
    """

    script: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    hold_at: int | None = None
    requests: list[Received] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                    seen = Received(
                        time.time(), self.path, {k.lower(): v for k, v in self.headers.items()}, body, status
                    )
                    receiver.requests.append(seen)
                    hold = receiver.hold_at == len(receiver.requests)
                if hold:
                    receiver.holding.set()
                    receiver.release.wait(60)
                text = b"rejected: unknown device" if status == 400 else b"ok"
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(text)))
                    for name, value in receiver.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(text)
                    seen.answered = True
                except OSError:  # the dispatcher is gone (killed mid-delivery)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sensegrid"

    def keys(self) -> list[str]:
        with self._lock:
            return [r.key for r in self.requests]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
