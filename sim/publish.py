"""Publishing simulated readings through real MQTT, in the formats ingest documents.

- Telemetry on ``<prefix>/<device_id>/telemetry``, QoS 1: one reading set
  ``{"ts": <epoch s>, "metrics": {...}}``, or with a batch size above 1 up to that many sets of one
  device in ``{"readings": [...]}`` (ingest/README.md). :func:`telemetry_messages` makes the
  messages (also what `sensegrid backfill` stores without a broker).
- ``<prefix>/<device_id>/status`` ``online`` when a live run starts. The fleet shares one MQTT
  connection (a gateway), and a connection carries one last will, so devices have none: when the
  simulator stops, devices fall silent and their areas' missing-data rules speak, as they would
  for a gateway losing power.
- :class:`Publisher` plays a simulator live on a :class:`~sim.clock.SimClock` (speed-up with an
  origin in the past, capped at now); :func:`publish_range` sends a stretch of history at once.
  Both count what they did in a :class:`PublishStats` a dashboard can poll from another thread.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion

from core.settings import Settings
from sim.clock import SimClock
from sim.engine import Reading, Simulator
from sim.fleet import SimDevice

QOS = 1


def telemetry_topic(prefix: str, device_id: str) -> str:
    return f"{prefix}/{device_id}/telemetry"


def status_topic(prefix: str, device_id: str) -> str:
    return f"{prefix}/{device_id}/status"


def payload(readings: Sequence[Reading]) -> bytes:
    """One message's body: a single reading set, or a batch of them (all of one device)."""
    sets = [{"ts": r.epoch_s, "metrics": r.values} for r in readings]
    return orjson.dumps(sets[0] if len(sets) == 1 else {"readings": sets})


def telemetry_messages(
    prefix: str, readings: Iterable[Reading], *, batch_size: int = 1
) -> Iterator[tuple[str, bytes]]:
    """(topic, payload) of the messages that carry `readings`: each device's sets, `batch_size` to a
    message, sent when full; what is left goes out at the end."""
    if batch_size < 1:
        raise ValueError(f"batch size must be ≥ 1, got {batch_size!r}")
    buffers: dict[str, list[Reading]] = {}
    for reading in readings:
        buffer = buffers.setdefault(reading.device.id, [])
        buffer.append(reading)
        if len(buffer) >= batch_size:
            yield telemetry_topic(prefix, reading.device.id), payload(buffer)
            buffer.clear()
    for device_id, buffer in buffers.items():
        if buffer:
            yield telemetry_topic(prefix, device_id), payload(buffer)


@dataclass(frozen=True)
class StatsSnapshot:
    """The counters at one moment: telemetry and status messages handed to MQTT, messages of
    either acknowledged by the broker, reading sets and readings (one metric value each) the
    telemetry carried, readings per area, failed publishes, and how far simulated time has got."""

    messages: int
    statuses: int
    acked: int
    reading_sets: int
    readings: int
    errors: int
    per_area: Mapping[str, int]
    sim_time: float | None


@dataclass
class PublishStats:
    """Thread-safe counters of what a publisher sent; poll :meth:`snapshot` (or the properties)."""

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _messages: int = 0
    _statuses: int = 0
    _acked: int = 0
    _sets: int = 0
    _readings: int = 0
    _errors: int = 0
    _per_area: dict[str, int] = field(default_factory=dict)
    _sim_time: float | None = None

    def sent(self, readings: Sequence[Reading]) -> None:
        with self._lock:
            self._messages += 1
            self._sets += len(readings)
            for r in readings:
                self._readings += len(r.values)
                self._per_area[r.device.area] = self._per_area.get(r.device.area, 0) + len(r.values)

    def sent_status(self) -> None:
        with self._lock:
            self._statuses += 1

    def acknowledged(self) -> None:
        with self._lock:
            self._acked += 1

    def failed(self) -> None:
        with self._lock:
            self._errors += 1

    def reached(self, sim_time: float) -> None:
        with self._lock:
            self._sim_time = sim_time

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            return StatsSnapshot(
                self._messages,
                self._statuses,
                self._acked,
                self._sets,
                self._readings,
                self._errors,
                dict(self._per_area),
                self._sim_time,
            )

    @property
    def messages(self) -> int:
        return self.snapshot().messages

    @property
    def readings(self) -> int:
        return self.snapshot().readings

    @property
    def errors(self) -> int:
        return self.snapshot().errors


class MqttSender:
    """One MQTT connection the whole fleet publishes through (paho reconnects it).

    At most `max_pending` messages wait for their PUBACK at a time: `send` blocks beyond that, so
    a long backfill does not pile up in memory.
    """

    def __init__(
        self, settings: Settings, *, stats: PublishStats | None = None, max_pending: int = 2000
    ) -> None:
        self.prefix = settings.topic_prefix
        self.stats = stats or PublishStats()
        self.max_pending = max_pending
        endpoint = settings.mqtt
        self.broker = f"{endpoint.host}:{endpoint.port}"
        self._endpoint = endpoint
        self._connected = threading.Event()
        self._room = threading.Condition()
        self._pending = 0
        protocol = (
            MQTTProtocolVersion.MQTTv5 if settings.mqtt_protocol == "5" else MQTTProtocolVersion.MQTTv311
        )
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"sensegrid-sim-{uuid.uuid4().hex[:12]}", protocol=protocol
        )
        if endpoint.username:
            self.client.username_pw_set(endpoint.username, endpoint.password)
        if endpoint.tls:
            self.client.tls_set()
        self.client.max_inflight_messages_set(min(max_pending, 1000))
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_publish = self._on_publish
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)

    def connect(self, timeout_s: float = 10.0) -> None:
        """Connect and start the network thread; ConnectionError saying what to check if it fails."""
        try:
            self.client.connect_async(self._endpoint.host, self._endpoint.port, keepalive=30)
            self.client.loop_start()
        except OSError as exc:
            raise ConnectionError(f"cannot reach the MQTT broker {self.broker}: {exc}") from exc
        if not self._connected.wait(timeout_s):
            self.close()
            raise ConnectionError(
                f"no connection to the MQTT broker {self.broker} within {timeout_s:g} s; check "
                "SENSEGRID_MQTT_URL (and SENSEGRID_MQTT_PROTOCOL=3.1.1 for a broker without MQTT 5)"
            )

    def _on_connect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if not getattr(reason, "is_failure", False):
            self._connected.set()

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, _r: object, _p: object) -> None:
        self._connected.clear()

    def _on_publish(self, _c: mqtt.Client, _u: object, _mid: int, _r: object, _p: object) -> None:
        self.stats.acknowledged()
        with self._room:
            self._pending -= 1
            self._room.notify_all()

    def _publish(self, topic: str, body: bytes | str, stop: threading.Event | None) -> bool:
        with self._room:
            while self._pending >= self.max_pending:
                if stop is not None and stop.is_set():
                    return False
                self._room.wait(0.2)
            self._pending += 1
        info = self.client.publish(topic, body, qos=QOS)
        # Not connected: paho keeps a QoS 1 message and sends it when it reconnects.
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            self.stats.failed()
            with self._room:
                self._pending -= 1
            return False
        return True

    def send(
        self, topic: str, body: bytes, readings: Sequence[Reading], stop: threading.Event | None = None
    ) -> None:
        """Publish one telemetry message carrying `readings` (counted in the stats)."""
        if self._publish(topic, body, stop):
            self.stats.sent(readings)

    def status(self, device: SimDevice, status: str) -> None:
        """Publish a device's ``online`` / ``offline`` status."""
        if self._publish(status_topic(self.prefix, device.id), status, None):
            self.stats.sent_status()

    def wait_acked(self, timeout_s: float = 30.0) -> bool:
        """Wait until the broker has acknowledged everything sent; False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._room:
            while self._pending > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._room.wait(min(left, 0.2))
        return True

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class _Throttle:
    """At most `rate` messages per second (0: unlimited)."""

    def __init__(self, rate: float, stop: threading.Event) -> None:
        self.rate, self.stop = rate, stop
        self.began, self.count = time.monotonic(), 0

    def wait(self) -> None:
        if self.rate <= 0:
            return
        self.count += 1
        ahead = self.count / self.rate - (time.monotonic() - self.began)
        if ahead > 0:
            self.stop.wait(ahead)


def _send_all(
    sender: MqttSender,
    readings: Iterable[Reading],
    batch_size: int,
    stop: threading.Event,
    throttle: _Throttle,
    buffers: dict[str, list[Reading]],
    flush: bool,
) -> None:
    """Send `readings`, `batch_size` sets of a device per message; keep partial batches in `buffers`
    for the next call unless `flush`."""
    for reading in readings:
        if stop.is_set():
            return
        buffer = buffers.setdefault(reading.device.id, [])
        buffer.append(reading)
        if len(buffer) >= batch_size:
            sender.send(
                telemetry_topic(sender.prefix, reading.device.id), payload(buffer), list(buffer), stop
            )
            buffer.clear()
            throttle.wait()
    if flush:
        for device_id, buffer in buffers.items():
            if buffer:
                sender.send(telemetry_topic(sender.prefix, device_id), payload(buffer), list(buffer), stop)
                buffer.clear()


def publish_range(
    sender: MqttSender,
    simulator: Simulator,
    start: float,
    end: float,
    *,
    batch_size: int = 100,
    rate: float = 0.0,
    stop: threading.Event | None = None,
    devices: Iterable[SimDevice] | None = None,
) -> None:
    """Send every reading the simulator's fleet (or `devices`) makes in [start, end), now: history
    for backdated testing and demos (ingest accepts readings as old as the raw retention)."""
    halt = stop or threading.Event()
    _send_all(
        sender, simulator.readings(start, end, devices), batch_size, halt, _Throttle(rate, halt), {}, True
    )
    sender.stats.reached(end)


class Publisher:
    """Plays a simulator live through MQTT until stopped (or for `duration_s` of wall time).

    Simulated time runs on a :class:`SimClock` from `start` (default: now) at `speedup`, capped
    at now; every `tick_s` the readings made since the last tick are sent. Each device is first
    announced ``online``. `stop()` may be called from any thread (a signal handler too); `run()`
    then sends what is buffered, waits for the broker's acks, and returns.
    """

    MAX_STEP_S = 600.0  # simulated seconds generated per turn at most, so stop() is heard during catch-up

    def __init__(
        self,
        settings: Settings,
        simulator: Simulator,
        *,
        start: float | None = None,
        speedup: float = 1.0,
        batch_size: int = 1,
        rate: float = 0.0,
        duration_s: float | None = None,
        tick_s: float = 0.5,
        stats: PublishStats | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch size must be ≥ 1, got {batch_size!r}")
        self.simulator = simulator
        self.stats = stats or PublishStats()
        self.sender = MqttSender(settings, stats=self.stats)
        now = time.time()
        self.clock = SimClock(origin=now if start is None else min(start, now), speedup=speedup, started=now)
        self.batch_size = batch_size
        self.rate = rate
        self.duration_s = duration_s
        self.tick_s = tick_s
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Publish until `stop()` or the duration is over (ConnectionError if the broker is unreachable)."""
        self.sender.connect()
        try:
            for device in self.simulator.fleet:
                self.sender.status(device, "online")
            throttle = _Throttle(self.rate, self._stop)
            buffers: dict[str, list[Reading]] = {}
            began = time.monotonic()
            done = self.clock.origin
            while not self._stop.is_set():
                target = min(self.clock.now(), done + self.MAX_STEP_S)
                if target > done:
                    readings = self.simulator.readings(done, target)
                    _send_all(self.sender, readings, self.batch_size, self._stop, throttle, buffers, False)
                    done = target
                    self.stats.reached(done)
                if self.duration_s is not None and time.monotonic() - began >= self.duration_s:
                    break
                if done >= self.clock.now() - 1e-3:
                    self._stop.wait(self.tick_s)
            _send_all(self.sender, (), self.batch_size, threading.Event(), throttle, buffers, True)
            self.sender.wait_acked(timeout_s=30.0)
        finally:
            self.sender.close()
