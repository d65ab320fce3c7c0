"""The ingest worker: MQTT 5 shared subscription in, batches to the database, acks after commit.

At-least-once end to end: QoS 1, a persistent session (clean start off, session expiry), manual
acks sent only once the batch holding a message has committed. The broker never has more than
Receive Maximum unacked messages in flight to a worker, which also bounds what a worker holds in
memory while the database is down. A crash loses nothing: the broker redelivers what was not
acked and the unique key drops what had already been stored.

With SENSEGRID_MQTT_PROTOCOL=3.1.1 (brokers without MQTT 5) the session is kept by clean session
off instead, without expiry or Receive Maximum, and there is no shared subscription: one worker.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from core import metrics
from core.settings import Settings
from core.types import Device
from ingest.pipeline import Message, Pipeline, Prepared
from store.db import connect
from store.ingest_devices import get_devices
from store.series import series_ids
from store.writer import write_batch

log = logging.getLogger("sensegrid.ingest")

_DRAIN_CHUNK = 500  # messages prepared together (device/series look-ups are batched per chunk)


@dataclass(frozen=True, slots=True)
class _Token:
    """Identifies a received message for its ack: the connection it came on and its packet id."""

    generation: int
    mid: int
    qos: int


def subscriptions(settings: Settings, *, shared: bool) -> list[str]:
    """Telemetry and status filters, as MQTT 5 shared subscriptions when several workers split the load."""
    prefix = settings.topic_prefix.strip("/")
    topics = [f"{prefix}/+/telemetry", f"{prefix}/+/status"]
    return [f"$share/{settings.ingest_shared_group}/{t}" for t in topics] if shared else topics


class IngestWorker:
    """One ingest process. `run()` blocks until `stop()` (or SIGTERM/SIGINT when installed)."""

    def __init__(self, settings: Settings, index: int = 0, *, shared: bool = False) -> None:
        """`shared`: join the shared subscription (several workers). A lone worker subscribes
        plainly: Mosquitto 2.0.11 drops messages in flight to a shared subscriber when the broker
        itself restarts, plain subscriptions keep them (tests/ingest/test_faults.py)."""
        if shared and not settings.mqtt_v5:
            raise ValueError(
                "a shared subscription needs MQTT 5 but SENSEGRID_MQTT_PROTOCOL is 3.1.1: run a single "
                "ingest worker without --shared, or use an MQTT 5 broker"
            )
        self.settings = settings
        self.index = index
        self.shared = shared
        self.subscriptions = subscriptions(settings, shared=shared)
        self.client_id = f"{settings.ingest_client_id}-{index}"
        self._queue: queue.Queue[Message] = queue.Queue()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._generation = 0
        self._conn: psycopg.Connection | None = None
        self.pipeline = Pipeline(settings, self._lookup_devices, self._lookup_series)
        self.client = self._make_client()
        self.stored = 0
        self.rejected = 0

    # -- database ------------------------------------------------------------------------------

    def _db(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self.settings.database_url, autocommit=True)
        return self._conn

    def _drop_db(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close; it is dropped
                self._conn.close()
        self._conn = None

    def _lookup_devices(self, ids: Iterable[str]) -> dict[str, Device]:
        return get_devices(self._db(), ids)

    def _lookup_series(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        return series_ids(self._db(), pairs)

    # -- MQTT ----------------------------------------------------------------------------------

    def _make_client(self) -> mqtt.Client:
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=MQTTProtocolVersion.MQTTv5 if self.settings.mqtt_v5 else MQTTProtocolVersion.MQTTv311,
            clean_session=None if self.settings.mqtt_v5 else False,  # MQTT 5: clean_start=False on connect
            manual_ack=True,
        )
        endpoint = self.settings.mqtt
        if endpoint.username:
            client.username_pw_set(endpoint.username, endpoint.password)
        if endpoint.tls:
            client.tls_set()
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_subscribe = self._on_subscribe
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        return client

    def _on_connect(self, client: mqtt.Client, _u: object, flags: object, reason: object, _p: object) -> None:
        if getattr(reason, "is_failure", False):
            log.error("broker refused connection: %s", reason)
            return
        self._generation += 1
        session = getattr(flags, "session_present", False)
        log.info("connected to broker as %s (session present: %s)", self.client_id, session)
        # A session kept from a run with the other mode still holds the other filter: drop it, or
        # the worker would get every message twice (once per filter).
        client.unsubscribe(subscriptions(self.settings, shared=not self.shared))
        client.subscribe([(topic, 1) for topic in self.subscriptions])  # QoS 1

    def _on_subscribe(
        self, _c: mqtt.Client, _u: object, _mid: int, reasons: list[ReasonCode], _p: Properties
    ) -> None:
        failed = [r for r in reasons if getattr(r, "is_failure", False)]
        if failed:
            log.error("broker refused the subscriptions %s: %s", self.subscriptions, failed)
            return
        log.info("subscribed to %s", ", ".join(self.subscriptions))
        self._connected.set()  # connected and subscribed: messages published from now on arrive

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        self._connected.clear()
        if not self._stopping.is_set():
            log.warning("disconnected from broker (%s); reconnecting", reason)

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        self._queue.put(
            Message(msg.topic, bytes(msg.payload), time.time(), _Token(self._generation, msg.mid, msg.qos))
        )

    def _ack(self, messages: list[Message]) -> None:
        generation = self._generation
        for m in messages:
            token = m.token
            # An ack for a packet id of an earlier connection could hit a different message now
            # in flight under the same id; those are redelivered instead (and deduplicated).
            if isinstance(token, _Token) and token.qos > 0 and token.generation == generation:
                self.client.ack(token.mid, token.qos)

    def connect(self) -> None:
        endpoint = self.settings.mqtt
        if self.settings.mqtt_v5:
            props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            props.SessionExpiryInterval = self.settings.ingest_session_expiry_s
            props.ReceiveMaximum = self.settings.ingest_receive_maximum
            self.client.connect_async(
                endpoint.host, endpoint.port, keepalive=30, clean_start=False, properties=props
            )
        else:
            self.client.connect_async(endpoint.host, endpoint.port, keepalive=30)
        self.client.loop_start()

    # -- the loop ------------------------------------------------------------------------------

    def stop(self) -> None:
        """Finish the current batch, ack it, disconnect; run() returns."""
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        def handler(signum: int, _frame: object) -> None:
            log.info("signal %d: flushing and stopping", signum)
            self.stop()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def _write(self, prepared: Prepared) -> bool:
        """Write with retries and backoff until committed (True) or stopping (False)."""
        delay = 0.5
        while True:
            try:
                started = time.perf_counter()
                result = write_batch(
                    self._db(),
                    prepared.rows,
                    rejected=prepared.rejected,
                    last_seen=prepared.last_seen,
                    status=prepared.status,
                )
                metrics.INGEST_BATCH_SECONDS.observe(time.perf_counter() - started)
            except (psycopg.OperationalError, psycopg.errors.DeadlockDetected, OSError) as exc:
                metrics.INGEST_WRITE_FAILURES.inc()
                self._drop_db()
                if self._stopping.is_set():
                    log.error("database unavailable while stopping; leaving the batch to redelivery")
                    return False
                log.warning("batch write failed (%s); retrying in %.1fs", str(exc).strip(), delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            self.stored += result.stored
            self.rejected += result.rejected
            metrics.INGEST_STORED.inc(result.stored)
            metrics.INGEST_DUPLICATES.inc(result.duplicates)
            metrics.INGEST_BATCH_READINGS.observe(len(prepared.rows))
            for r in prepared.rejected:
                metrics.INGEST_REJECTED.labels(r.reason).inc()
            return True

    def _prepare(self, chunk: list[Message], into: Prepared) -> None:
        delay = 0.5
        while True:
            try:
                part = self.pipeline.prepare(chunk)
                break
            except (psycopg.OperationalError, OSError) as exc:
                self._drop_db()
                if self._stopping.is_set():
                    raise
                log.warning("device/series look-up failed (%s); retrying in %.1fs", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
        into.extend(part)

    def run(self, on_batch: Callable[[int], None] | None = None) -> None:
        """Consume until stopped. `on_batch(stored)` is called after each commit (for progress).

        On stop, the messages already received are written and acked; later ones stay unacked in
        the broker session and are delivered again when the worker comes back.
        """
        self.connect()
        settings = self.settings
        latency = settings.ingest_batch_latency_ms / 1000.0
        pending: list[Message] = []
        prepared = Prepared()
        deadline: float | None = None
        left_on_stop: int | None = None  # messages still to take once stopping began
        try:
            while True:
                if left_on_stop is None and self._stopping.is_set():
                    left_on_stop = self._queue.qsize()
                budget = _DRAIN_CHUNK if left_on_stop is None else min(_DRAIN_CHUNK, left_on_stop)
                wait = 0.2 if deadline is None else min(0.2, max(0.0, deadline - time.monotonic()))
                chunk = self._take(budget, wait if left_on_stop is None else 0.0)
                if left_on_stop is not None:
                    left_on_stop -= len(chunk)
                if chunk:
                    metrics.INGEST_RECEIVED.inc(len(chunk))
                    self._prepare(chunk, prepared)
                    pending.extend(chunk)
                    if deadline is None:
                        deadline = time.monotonic() + latency
                finishing = left_on_stop == 0
                due = deadline is not None and time.monotonic() >= deadline
                if pending and (due or finishing or len(prepared.rows) >= settings.ingest_batch_size):
                    if not self._write(prepared):
                        break
                    self._ack(pending)
                    if on_batch is not None:
                        on_batch(len(prepared.rows))
                    pending, prepared, deadline = [], Prepared(), None
                if finishing:
                    break
        finally:
            time.sleep(0.05)  # let the loop thread send the last PUBACKs before DISCONNECT
            self.client.disconnect()
            self.client.loop_stop()
            self._drop_db()
            log.info("ingest worker %s stopped: %d readings stored", self.client_id, self.stored)

    def _take(self, budget: int, wait: float) -> list[Message]:
        chunk: list[Message] = []
        if budget <= 0:
            return chunk
        try:
            chunk.append(self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait())
            while len(chunk) < budget:
                chunk.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        return chunk
