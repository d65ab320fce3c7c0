"""The notification dispatcher: routes new alert events into the outbox, then delivers what is due.

Guarantees (docs/architecture.md, "never lost, never sent twice for one event"):

- Every alert event is routed exactly once: its outbox rows (one per channel and target, unique
  key ``<event id>:<channel>:<target>``) and its ``routed_at`` mark commit together.
- A row is delivered until the receiver has it (status ``sent``, ``sent_at``), retried with
  exponential backoff and jitter, or given up after SENSEGRID_NOTIFY_MAX_ATTEMPTS or at once when
  the receiver rejects it (status ``gave_up``, reason in ``last_error``). Nothing is sent again
  once marked sent.
- Several dispatchers may run: each claims rows with ``FOR UPDATE SKIP LOCKED`` and keeps the lock
  while it delivers. One killed mid-delivery drops its connection and so its claim; the row is
  delivered again by whoever claims it next. That is the one case a receiver can see a message
  twice (it answered, the dispatcher died before recording it), and why every message carries
  the idempotency key.

Inside one dispatcher, SENSEGRID_NOTIFY_WORKERS threads deliver side by side (a slow webhook
does not hold up a road sign) while the main thread routes; it wakes on NOTIFY
``sensegrid_alert_events`` when the lifecycle sends one, and polls every SENSEGRID_NOTIFY_POLL_S
in any case.
"""

from __future__ import annotations

import contextlib
import logging
import random
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg

from alerts.channels import Channel, DeliveryError, alert_payload
from alerts.channels.email import EmailChannel
from alerts.channels.mqtt import MqttChannel
from alerts.channels.webhook import WebhookChannel
from alerts.routing import ANNOUNCING_STATES, Route, announced_severity, recipients, routes_from_settings
from core.settings import Settings
from store.db import connect
from store.outbox import (
    NewNotification,
    OutboxItem,
    add_notifications,
    claim_due,
    give_up,
    lock_routing,
    mark_routed,
    mark_sent,
    notified_severities,
    schedule_retry,
    unrouted_events,
)

log = logging.getLogger("sensegrid.notify")

WAKE_CHANNEL = "sensegrid_alert_events"
ROUTE_BATCH = 500

CHANNEL_FACTORIES: dict[str, Callable[[Settings], Channel]] = {
    "webhook": lambda s: WebhookChannel(s.notify_webhook_secret.get_secret_value(), s.notify_timeout_s),
    "mqtt": MqttChannel,
    "email": EmailChannel,
}


def backoff_s(attempt: int, base_s: float, max_s: float, rand: Callable[[], float] = random.random) -> float:
    """The wait after the `attempt`-th failed attempt: base·2^(attempt-1), at most `max_s`, taken
    from the upper half of that ("equal jitter"): dispatchers that failed together spread out, and
    no retry comes sooner than half the nominal delay."""
    nominal = min(max_s, base_s * 2.0 ** (attempt - 1))
    return nominal / 2 + rand() * nominal / 2


def configuration_problems(settings: Settings, routes: Sequence[Route]) -> list[str]:
    """What keeps the configured routes from working, in words an operator can act on."""
    channels = {r.channel for r in routes}
    problems = []
    if "webhook" in channels and not settings.notify_webhook_secret.get_secret_value():
        problems.append(
            "webhook routes need SENSEGRID_NOTIFY_WEBHOOK_SECRET (the HMAC key receivers verify "
            "signatures with): set it to a long random string"
        )
    if "email" in channels and not settings.smtp_host:
        problems.append("email routes need an SMTP server: set SENSEGRID_SMTP_HOST (and _PORT, _USER...)")
    return problems


@dataclass(frozen=True)
class Outcome:
    """What became of one delivery attempt: status sent, pending (retry later) or gave_up."""

    outbox_id: int
    channel: str
    target: str
    status: str
    attempts: int
    error: str | None = None


class Dispatcher:
    """Routes and delivers notifications. `run()` blocks until `stop()` (or SIGTERM/SIGINT)."""

    def __init__(self, settings: Settings, routes: Sequence[Route] | None = None) -> None:
        self.settings = settings
        self.routes = tuple(routes) if routes is not None else routes_from_settings(settings)
        self._channels: dict[str, Channel] = {}
        self._channels_lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake = threading.Condition()

    # -- routing -------------------------------------------------------------------------------

    def route(self, conn: psycopg.Connection) -> int:
        """Route one batch of unrouted alert events into the outbox; returns how many events.

        0 also when another dispatcher is routing right now (it holds the routing lock).
        """
        with conn.transaction():
            if not lock_routing(conn):
                return 0
            events = unrouted_events(conn, ROUTE_BATCH)
            if not events:
                return 0
            notified = notified_severities(conn, sorted({c.alert.id for c in events}), ANNOUNCING_STATES)
            new = []
            for change in events:
                alert_id, event_id = change.alert.id, change.event.id
                payload = alert_payload(change)
                for r in recipients(self.routes, change, notified.get(alert_id)):
                    new.append(
                        NewNotification(event_id, r.channel, r.target, payload, r.idempotency_key(event_id))
                    )
                announced = announced_severity(change)
                if announced is not None:
                    notified[alert_id] = max(notified.get(alert_id, 0), announced)
            added = add_notifications(conn, new)
            mark_routed(conn, [c.event.id for c in events])
        log.info("routed %d alert events into %d notifications", len(events), added)
        return len(events)

    # -- delivery ------------------------------------------------------------------------------

    def _channel(self, name: str) -> Channel:
        with self._channels_lock:
            channel = self._channels.get(name)
            if channel is None:
                factory = CHANNEL_FACTORIES.get(name)
                if factory is None:
                    raise DeliveryError(
                        f"unknown channel {name!r}; known: {', '.join(CHANNEL_FACTORIES)}", permanent=True
                    )
                channel = self._channels[name] = factory(self.settings)
            return channel

    def deliver_one(self, conn: psycopg.Connection) -> Outcome | None:
        """Claim one due outbox row, deliver it and record the outcome; None when nothing is due."""
        with conn.transaction():
            item = claim_due(conn)
            if item is None:
                return None
            error: DeliveryError | None = None
            try:
                self._channel(item.channel).deliver(item, conn)
            except DeliveryError as exc:
                error = exc
            except psycopg.Error:
                raise  # the claim is rolled back with the transaction; the row stays due
            except Exception as exc:  # a fault in one channel must not stop the others
                log.exception("outbox row %d: %s delivery failed unexpectedly", item.id, item.channel)
                error = DeliveryError(f"internal error in the {item.channel} channel: {exc!r}")
            return self._settle(conn, item, error)

    def _settle(self, conn: psycopg.Connection, item: OutboxItem, error: DeliveryError | None) -> Outcome:
        attempt = item.attempts + 1
        where = f"outbox row {item.id} ({item.channel} → {item.target}, key {item.idempotency_key})"
        if error is None:
            mark_sent(conn, item.id)
            log.info("%s: sent on attempt %d", where, attempt)
            return Outcome(item.id, item.channel, item.target, "sent", attempt)
        bound = self.settings.notify_max_attempts
        if error.permanent or attempt >= bound:
            reason = error.reason if error.permanent else f"gave up after {attempt} attempts: {error.reason}"
            give_up(conn, item.id, reason)
            log.error("%s: %s", where, reason)
            return Outcome(item.id, item.channel, item.target, "gave_up", attempt, reason)
        s = self.settings
        delay = backoff_s(attempt, s.notify_backoff_s, s.notify_backoff_max_s)
        if error.retry_after_s is not None:
            delay = max(delay, min(error.retry_after_s, s.notify_backoff_max_s))
        reason = f"{error.reason} (attempt {attempt} of {bound}; next try in {delay:.2f} s)"
        schedule_retry(conn, item.id, delay, reason)
        log.warning("%s: %s", where, reason)
        return Outcome(item.id, item.channel, item.target, "pending", attempt, reason)

    # -- running -------------------------------------------------------------------------------

    def run_once(self) -> tuple[int, list[Outcome]]:
        """Route every unrouted event, then deliver until no row is due; for cron jobs and tests."""
        with connect(self.settings.database_url, autocommit=True) as conn:
            routed = 0
            while n := self.route(conn):
                routed += n
            outcomes = []
            while (outcome := self.deliver_one(conn)) is not None:
                outcomes.append(outcome)
        return routed, outcomes

    def stop(self) -> None:
        """Finish the deliveries in hand, then return from run()."""
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()

    def install_signal_handlers(self) -> None:
        def handler(signum: int, _frame: object) -> None:
            self.stop()
            log.info("signal %d: finishing deliveries in hand and stopping", signum)

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def run(self) -> None:
        """Route and deliver until stopped."""
        workers = self.settings.notify_workers
        rounds = [("routing", self._route_round)] + [("delivery", self._deliver_round)] * workers
        threads = [
            threading.Thread(target=self._repeat, args=(step, round_), name=f"notify-{step}-{i}")
            for i, (step, round_) in enumerate(rounds)
        ]
        for t in threads:
            t.start()
        log.info(
            "notification dispatcher running: %d routes, %d delivery workers",
            len(self.routes),
            workers,
        )
        try:
            # The main thread only waits: an Event wait lets a signal handler run at once, where a
            # database or socket call in C would hold it back (and let new deliveries start).
            while not self._stopping.wait(1.0):
                pass
        finally:
            self.stop()
            for t in threads:
                t.join()
            self.close()
            log.info("notification dispatcher stopped")

    def close(self) -> None:
        """Close the channels' connections (MQTT, HTTP)."""
        with self._channels_lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()

    def _route_round(self, conn: psycopg.Connection) -> None:
        conn.execute(f"LISTEN {WAKE_CHANNEL}")  # a no-op once listening; a new connection starts here
        routed = self.route(conn)
        if routed:
            with self._wake:
                self._wake.notify_all()
        if routed < ROUTE_BATCH:
            for _ in conn.notifies(timeout=self.settings.notify_poll_s, stop_after=1):
                pass

    def _deliver_round(self, conn: psycopg.Connection) -> None:
        if self.deliver_one(conn) is None:
            with self._wake:
                if not self._stopping.is_set():
                    self._wake.wait(self.settings.notify_poll_s)

    def _repeat(
        self, step: str, round_: Callable[[psycopg.Connection], None], *, listen: bool = False
    ) -> None:
        """Run `round_` until stopped, on a connection of its own, reconnecting with backoff."""
        conn: psycopg.Connection | None = None
        retry = 0.5
        while not self._stopping.is_set():
            try:
                if conn is None:
                    conn = connect(self.settings.database_url, autocommit=True)
                round_(conn)
                retry = 0.5
            except Exception as exc:  # the database went away, or a bug: say so, keep going
                _report(exc, step, retry)
                _drop(conn)
                conn = None
                self._stopping.wait(retry)
                retry = min(retry * 2, 30.0)
        _drop(conn)


def _report(exc: Exception, step: str, retry_s: float) -> None:
    if isinstance(exc, psycopg.Error):
        log.warning("%s: database error (%s); retrying in %.1f s", step, str(exc).strip(), retry_s)
    else:
        log.exception("%s failed unexpectedly; retrying in %.1f s", step, retry_s)


def _drop(conn: psycopg.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(psycopg.Error):  # a broken connection may fail to close; it is dropped
            conn.close()
