"""Webhook delivery against a real HTTP server on 127.0.0.1: signed bodies, stable idempotency
keys, retries with growing backoff, giving up on rejection and after the bound."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import psycopg
import pytest

from alerts.outbox import Dispatcher
from core.settings import Settings
from sensegrid.ports import free_port
from tests.alerts.notify_rig import SECRET, Receiver, add_alert, notify_settings, outbox, wait_until


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def webhook_dispatcher(migrated: Settings, url: str, **changes: object) -> Dispatcher:
    return Dispatcher(notify_settings(migrated, [{"channel": "webhook", "target": url}], **changes))


def next_try_s(last_error: str) -> float:
    found = re.search(r"next try in ([0-9.]+) s", last_error)
    assert found, f"no backoff recorded in {last_error!r}"
    return float(found.group(1))


def time_passes(db: psycopg.Connection) -> None:
    """Make every pending retry due now (the backoff itself is read from the row beforehand)."""
    db.execute("UPDATE notification_outbox SET next_attempt_at = now() WHERE status = 'pending'")


def test_webhook_body_is_signed_with_the_shared_secret_and_carries_the_idempotency_key(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver
) -> None:
    alert_id, event_id = add_alert(db)
    dispatcher = webhook_dispatcher(migrated, receiver.url)
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["sent"]
    [request] = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-sensegrid-signature"], expected)
    wrong = "sha256=" + hmac.new(b"another secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-sensegrid-signature"] != wrong
    assert request.key == f"{event_id}:webhook:{receiver.url}"
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert (body["alert_id"], body["event_id"], body["state"], body["severity_name"]) == (
        alert_id,
        event_id,
        "firing",
        "major",
    )
    [row] = outbox(db)
    assert row["status"] == "sent"
    assert row["sent_at"] is not None
    assert row["attempts"] == 1


def test_503_twice_then_200_is_sent_on_the_third_attempt_after_growing_backoff(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver
) -> None:
    receiver.script = [503, 503]
    add_alert(db)
    dispatcher = webhook_dispatcher(migrated, receiver.url, notify_backoff_s=30.0, notify_max_attempts=5)
    dispatcher.route(db)

    first = dispatcher.deliver_one(db)
    assert first is not None and first.status == "pending"
    [row] = outbox(db)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "HTTP 503" in row["last_error"]
    first_wait = next_try_s(row["last_error"])
    assert 15.0 <= first_wait <= 30.0, "first retry waits half to all of the base backoff"
    assert dispatcher.deliver_one(db) is None, "nothing is retried before its backoff is over"
    assert len(receiver.requests) == 1

    time_passes(db)
    dispatcher.deliver_one(db)
    [row] = outbox(db)
    assert (row["status"], row["attempts"]) == ("pending", 2)
    second_wait = next_try_s(row["last_error"])
    assert 30.0 <= second_wait <= 60.0, "the backoff doubles"

    time_passes(db)
    third = dispatcher.deliver_one(db)
    dispatcher.close()

    assert third is not None and third.status == "sent"
    [row] = outbox(db)
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert row["sent_at"] is not None
    assert "HTTP 503" in row["last_error"], "the last failure stays on record"
    assert [r.status for r in receiver.requests] == [503, 503, 200]
    assert len({r.key for r in receiver.requests}) == 1, "every retry carries the same idempotency key"
    assert len({r.body for r in receiver.requests}) == 1
    assert len({r.headers["x-sensegrid-signature"] for r in receiver.requests}) == 1


def test_429_with_retry_after_waits_at_least_as_long_as_asked(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver
) -> None:
    receiver.script = [429]
    receiver.headers = {"Retry-After": "120"}
    add_alert(db)
    dispatcher = webhook_dispatcher(migrated, receiver.url, notify_backoff_s=1.0)
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["pending"]
    [row] = outbox(db)
    assert "HTTP 429" in row["last_error"]
    assert next_try_s(row["last_error"]) >= 120.0


def test_400_gives_up_at_once_with_the_receivers_reason(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver
) -> None:
    receiver.script = [400]
    add_alert(db)
    dispatcher = webhook_dispatcher(migrated, receiver.url)
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["gave_up"]
    [row] = outbox(db)
    assert (row["status"], row["attempts"]) == ("gave_up", 1)
    assert "HTTP 400 Bad Request: rejected: unknown device" in row["last_error"]
    assert row["sent_at"] is None
    assert len(receiver.requests) == 1


def test_unreachable_receiver_is_retried_then_given_up_after_the_bound(
    db: psycopg.Connection, migrated: Settings
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/hook"
    add_alert(db)
    dispatcher = webhook_dispatcher(
        migrated, nobody, notify_max_attempts=3, notify_backoff_s=0.02, notify_backoff_max_s=0.1
    )
    runner = threading.Thread(target=dispatcher.run, daemon=True)
    runner.start()
    try:
        wait_until(lambda: [r["status"] for r in outbox(db)] == ["gave_up"], what="gave_up")
    finally:
        dispatcher.stop()
        runner.join(timeout=30)

    [row] = outbox(db)
    assert row["attempts"] == 3
    assert row["last_error"].startswith(f"gave up after 3 attempts: cannot reach {nobody}")
    assert row["sent_at"] is None


def test_notify_list_shows_each_notification_with_status_and_reason(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver
) -> None:
    receiver.script = [200, 400]
    add_alert(db, device="vis-k100")
    add_alert(db, device="vis-k105")
    dispatcher = webhook_dispatcher(migrated, receiver.url, notify_workers=1)
    dispatcher.run_once()
    dispatcher.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env["SENSEGRID_DATABASE_URL"] = migrated.database_url
    env["COLUMNS"] = "250"
    listed = subprocess.run(
        [sys.executable, "-m", "sensegrid.cli", "notify", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any("vis-k100" in line and "sent" in line for line in lines), listed.stdout
    given_up = [line for line in lines if "vis-k105" in line]
    assert given_up and "gave_up" in given_up[0] and "HTTP 400" in given_up[0], listed.stdout

    only_given_up = subprocess.run(
        [sys.executable, "-m", "sensegrid.cli", "notify", "list", "--status", "gave_up"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "vis-k105" in only_given_up.stdout
    assert "vis-k100" not in only_given_up.stdout
