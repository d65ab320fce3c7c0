"""`sensegrid notify run` as a real process: killed with SIGKILL mid-delivery and restarted it
never sends again what a receiver acknowledged; SIGTERM finishes the delivery in hand first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import psycopg
import pytest

from core.settings import Settings
from tests.alerts.notify_rig import SECRET, Receiver, add_alert, outbox, wait_until

EVENTS = 12
HELD = 5  # the request in flight when the dispatcher is stopped


class NotifyProcess:
    """`sensegrid notify run`, configured through SENSEGRID_* variables, logging to a file."""

    def __init__(self, settings: Settings, url: str, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
        env.update(
            SENSEGRID_DATABASE_URL=settings.database_url,
            SENSEGRID_TIMESCALEDB=settings.timescaledb,
            SENSEGRID_NOTIFY_ROUTES=orjson.dumps([{"channel": "webhook", "target": url}]).decode(),
            SENSEGRID_NOTIFY_WEBHOOK_SECRET=SECRET,
            SENSEGRID_NOTIFY_WORKERS="1",  # one delivery at a time: exactly one is in flight at the kill
            SENSEGRID_NOTIFY_POLL_S="0.05",
            SENSEGRID_NOTIFY_TIMEOUT_S="30",
        )
        self.log = log
        self.fh = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sensegrid.cli", "notify", "run"],
            env=env,
            stdout=self.fh,
            stderr=subprocess.STDOUT,
        )

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self.fh.close()
        return code

    def kill_if_running(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.fh.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(hold_at=HELD)
    yield r
    r.close()


def statuses(db: psycopg.Connection) -> list[str]:
    return [r["status"] for r in outbox(db)]


def caught_mid_delivery(
    db: psycopg.Connection, settings: Settings, receiver: Receiver, log: Path
) -> NotifyProcess:
    """A dispatcher with EVENTS alerts to notify, started and waited for until request HELD is in hand."""
    for i in range(EVENTS):
        add_alert(db, device=f"vis-{i:02d}")
    process = NotifyProcess(settings, receiver.url, log)
    if not receiver.holding.wait(60):
        process.kill_if_running()
        raise AssertionError(f"no delivery reached the receiver:\n{log.read_text()}")
    return process


def test_dispatcher_killed_mid_delivery_and_restarted_never_resends_what_was_acknowledged(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver, tmp_path: Path
) -> None:
    log = tmp_path / "notify.log"
    first = caught_mid_delivery(db, migrated, receiver, log)
    second: NotifyProcess | None = None
    try:
        first.stop(signal.SIGKILL)
        answered_before_kill = [r.key for r in receiver.requests if r.answered]
        held_key = receiver.requests[HELD - 1].key
        receiver.release.set()  # its answer goes to a dead socket

        second = NotifyProcess(migrated, receiver.url, log)
        wait_until(lambda: statuses(db) == ["sent"] * EVENTS, timeout=60, what="every row sent")
    finally:
        first.kill_if_running()
        if second is not None:
            second.kill_if_running()

    assert len(answered_before_kill) == HELD - 1
    keys = receiver.keys()
    assert set(keys) == {r["idempotency_key"] for r in outbox(db)}, "every notification arrived"
    for key in answered_before_kill:
        assert keys.count(key) == 1, f"{key} was acknowledged before the kill and sent again"
    # The one in flight at the kill is the at-least-once case: sent again, with the same key and
    # body, so the receiver can tell it is the same notification.
    assert keys.count(held_key) == 2
    copies = [r for r in receiver.requests if r.key == held_key]
    assert copies[0].body == copies[1].body
    for key in set(keys) - {held_key}:
        assert keys.count(key) == 1
    for row in outbox(db):
        arrivals = [r.at for r in receiver.requests if r.key == row["idempotency_key"]]
        assert max(arrivals) < row["sent_at"].timestamp(), "nothing is sent once marked sent"
        assert row["attempts"] == 1, "the killed attempt left no trace (its transaction was rolled back)"


def test_sigterm_finishes_the_delivery_in_hand_and_exits_cleanly(
    db: psycopg.Connection, migrated: Settings, receiver: Receiver, tmp_path: Path
) -> None:
    log = tmp_path / "notify.log"
    first = caught_mid_delivery(db, migrated, receiver, log)
    try:
        first.proc.send_signal(signal.SIGTERM)
        wait_until(lambda: "signal 15" in log.read_text(), what="SIGTERM taken in")
        receiver.release.set()
        code = first.proc.wait(timeout=60)
    finally:
        first.kill_if_running()

    assert code == 0, log.read_text()
    assert statuses(db).count("sent") == HELD, "the delivery in hand was recorded, no new one started"
    assert statuses(db).count("pending") == EVENTS - HELD
    assert len(receiver.requests) == HELD
    assert "notification dispatcher stopped" in log.read_text()
