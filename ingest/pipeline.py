"""From received MQTT messages to rows the writer stores: check, convert, calibrate, QC-flag.

Each message either contributes readings, or lands in `rejected_messages` with a reason a person
can read — or both, when only some readings of a batch are bad. Device and series look-ups are
cached; the per-series QC history is bounded by what the QC checks need.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import orjson

from core.settings import Settings
from core.types import Device
from core.units import UnitError, linear_conversion
from domains import registry
from domains.model import Metric, Quality
from domains.qc import flag_reading, history_span_s
from ingest.decode import DecodeError, decode
from store.writer import ReadingRow, RejectedRow

# How many problems of one message are spelled out in its rejection detail.
_MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Message:
    """One MQTT message as received; `token` identifies it for the ack after commit."""

    topic: str
    payload: bytes
    received_at: float
    token: object = None


@dataclass(slots=True)
class Prepared:
    """What a batch of messages became: rows to store, rejections, devices seen."""

    rows: list[ReadingRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    last_seen: dict[str, float] = field(default_factory=dict)
    status: dict[str, tuple[bool, float]] = field(default_factory=dict)  # device → (online, when)

    def extend(self, other: Prepared) -> None:
        """Add another part of the same batch."""
        self.rows.extend(other.rows)
        self.rejected.extend(other.rejected)
        for device, t in other.last_seen.items():
            if t > self.last_seen.get(device, 0.0):
                self.last_seen[device] = t
        for device, st in other.status.items():
            if device not in self.status or st[1] >= self.status[device][1]:
                self.status[device] = st


@dataclass(frozen=True, slots=True)
class _MetricInfo:
    metric: Metric
    qc_needs_history: bool
    history_s: float
    low: float
    high: float


class _SeriesHistory:
    """Recent (time, value) of one series for the step and persistence checks, oldest first."""

    __slots__ = ("points", "span")

    def __init__(self, span: float) -> None:
        self.points: deque[tuple[float, float]] = deque()
        self.span = span

    def add(self, t: float, value: float) -> None:
        points = self.points
        if not points or t >= points[-1][0]:
            points.append((t, value))
        else:  # late reading: keep the history ordered
            items = sorted([*points, (t, value)])
            points.clear()
            points.extend(items)
        horizon = points[-1][0] - self.span
        while points and points[0][0] < horizon:
            points.popleft()


DeviceLookup = Callable[[Iterable[str]], Mapping[str, Device]]
SeriesLookup = Callable[[Iterable[tuple[str, str]]], Mapping[tuple[str, str], int]]


class Pipeline:
    """Turns message batches into writer input. One per ingest worker; not thread-safe."""

    def __init__(
        self,
        settings: Settings,
        lookup_devices: DeviceLookup,
        lookup_series: SeriesLookup,
        *,
        device_ttl_s: float = 30.0,
        unknown_device_ttl_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._lookup_devices = lookup_devices
        self._lookup_series = lookup_series
        self._device_ttl = device_ttl_s
        self._unknown_ttl = unknown_device_ttl_s
        self._clock = clock
        self._devices: dict[str, tuple[Device | None, float]] = {}
        self._series: dict[tuple[str, str], int] = {}
        self._history: dict[int, _SeriesHistory] = {}
        self._catalogues: dict[str, dict[str, _MetricInfo]] = {}
        for area in registry.areas():
            for m in area.metrics:
                qc = m.qc
                needs = any(x is not None for x in (qc.step_suspect, qc.step_error, qc.persistence_window_s))
                lo, hi = m.plausible
                catalogue = self._catalogues.setdefault(area.id, {})
                catalogue[m.name] = _MetricInfo(m, needs, history_span_s(m), lo, hi)
        prefix = settings.topic_prefix.strip("/")
        self._prefix_parts = prefix.split("/") if prefix else []

    # -- devices and series ------------------------------------------------------------------

    def _devices_for(self, ids: set[str]) -> dict[str, Device | None]:
        now = self._clock()
        stale = [i for i in ids if (c := self._devices.get(i)) is None or c[1] < now]
        if stale:
            found = self._lookup_devices(stale)
            for i in stale:
                dev = found.get(i)
                self._devices[i] = (dev, now + (self._device_ttl if dev else self._unknown_ttl))
        return {i: self._devices[i][0] for i in ids}

    def forget_device(self, device_id: str) -> None:
        """Drop a cached device so its next message reads the registry again."""
        self._devices.pop(device_id, None)

    def _series_ids(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        missing = [p for p in pairs if p not in self._series]
        if missing:
            self._series.update(self._lookup_series(missing))
        return self._series

    # -- topics --------------------------------------------------------------------------------

    def parse_topic(self, topic: str) -> tuple[str, str] | None:
        """(device id, "telemetry" or "status") of `<prefix>/<device_id>/<kind>`, else None."""
        parts = topic.split("/")
        n = len(self._prefix_parts)
        if len(parts) != n + 2 or parts[:n] != self._prefix_parts or parts[-1] not in _TOPIC_KINDS:
            return None
        return (parts[n], parts[-1]) if parts[n] else None

    # -- the batch -----------------------------------------------------------------------------

    def prepare(self, messages: Sequence[Message]) -> Prepared:
        out = Prepared()
        settings = self.settings
        decoded: list[tuple[Message, str, list[tuple[str, float, float, Metric, _MetricInfo]]]] = []
        problems_of: dict[int, list[tuple[str, str]]] = {}
        now = self._clock()
        max_future = now + settings.ingest_max_future_s
        oldest = now - settings.retention_days * 86400.0

        # 1. topic, size, JSON
        parsed = []
        statuses: list[tuple[Message, str, bool]] = []
        for msg in messages:
            where = self.parse_topic(msg.topic)
            if where is None:
                self._reject(
                    out,
                    msg,
                    None,
                    "bad_topic",
                    f"topic {msg.topic!r} is not {settings.topic_prefix}/<device_id>/telemetry or …/status",
                )
                continue
            device_id, kind = where
            if kind == "status":
                online = parse_status(msg.payload)
                if online is None:
                    self._reject(
                        out,
                        msg,
                        device_id,
                        "bad_status",
                        'status payload must be "online" or "offline" (or {"status": "online"})',
                    )
                else:
                    statuses.append((msg, device_id, online))
                continue
            if len(msg.payload) > settings.ingest_max_payload_bytes:
                self._reject(
                    out,
                    msg,
                    device_id,
                    "payload_too_large",
                    f"payload is {len(msg.payload)} bytes; the limit is "
                    f"{settings.ingest_max_payload_bytes} (SENSEGRID_INGEST_MAX_PAYLOAD_BYTES)",
                )
                continue
            try:
                doc = decode(msg.payload, msg.received_at)
            except DecodeError as exc:
                self._reject(out, msg, device_id, exc.reason, exc.detail)
                continue
            parsed.append((msg, device_id, doc))

        # 2. devices
        devices = self._devices_for({p[1] for p in parsed} | {d for _, d, _ in statuses})
        for msg, device_id, online in statuses:
            if devices[device_id] is None:
                self._reject(out, msg, device_id, "unknown_device", f"device {device_id!r} is not registered")
                continue
            previous = out.status.get(device_id)
            if previous is None or msg.received_at >= previous[1]:
                out.status[device_id] = (online, msg.received_at)
        for msg, device_id, doc in parsed:
            device = devices[device_id]
            if device is None:
                self._reject(
                    out,
                    msg,
                    device_id,
                    "unknown_device",
                    f"device {device_id!r} is not registered (`sensegrid devices add`)",
                )
                continue
            if not device.active:
                self._reject(out, msg, device_id, "inactive_device", f"device {device_id!r} is deactivated")
                continue
            if doc.device is not None and not _names_device(doc.device, device_id):
                self._reject(
                    out,
                    msg,
                    device_id,
                    "device_mismatch",
                    f"topic is for device {device_id!r} but the payload names {doc.device!r}",
                )
                continue
            problems: list[tuple[str, str]] = [(p.reason, p.detail) for p in doc.problems]
            good: list[tuple[str, float, float, Metric, _MetricInfo]] = []
            calibration = device.calibration
            catalogue = self._catalogues.get(device.domain, {})
            for r in doc.readings:
                name, t, value, unit = r.metric, r.time, r.value, r.unit
                info = catalogue.get(name)
                if info is None:
                    problems.append(
                        ("unknown_metric", f"metric {name!r} is not in the {device.domain} catalogue")
                    )
                    continue
                if type(value) not in _NUMBER_TYPES:  # bool is not a number here
                    problems.append(("not_a_number", f"{name}: value {value!r} is not a number"))
                    continue
                v = float(value)  # type: ignore[arg-type]
                if not math.isfinite(v):
                    problems.append(("not_finite", f"{name}: value {value!r} is not finite"))
                    continue
                metric = info.metric
                if unit is not None and unit != metric.unit:
                    try:
                        gain, offset = linear_conversion(unit, metric.unit)
                    except UnitError as exc:
                        problems.append(("bad_unit", f"{name}: {exc}; send {metric.unit!r}"))
                        continue
                    v = gain * v + offset
                if t > max_future:
                    problems.append(
                        (
                            "future_timestamp",
                            f"{name}: time {_iso(t)} is more than "
                            f"{settings.ingest_max_future_s}s ahead of the server clock",
                        )
                    )
                    continue
                if t < oldest:
                    problems.append(
                        (
                            "too_old",
                            f"{name}: time {_iso(t)} is older than the "
                            f"{settings.retention_days}-day retention",
                        )
                    )
                    continue
                if calibration.versions:
                    version = calibration.version_at(name, t)
                    if version is not None:
                        v = version.apply(v)
                good.append((name, t, v, metric, info))
            if problems:
                problems_of[len(decoded)] = problems
            decoded.append((msg, device_id, good))

        # 3. series ids, QC, rows
        series = self._series_ids({(d, g[0]) for _, d, goods in decoded for g in goods})
        for i, (msg, device_id, goods) in enumerate(decoded):
            for name, t, v, metric, info in goods:
                sid = series[(device_id, name)]
                if info.qc_needs_history:
                    hist = self._history.get(sid)
                    if hist is None:
                        hist = self._history[sid] = _SeriesHistory(info.history_s)
                    quality = flag_reading(metric, v, t, hist.points)
                    if quality != Quality.BAD:
                        hist.add(t, v)
                else:  # range is the only check: flag_reading's first test, inlined for speed
                    quality = _GOOD if info.low <= v <= info.high else _BAD
                out.rows.append((t, sid, v, int(quality)))
            if goods or i not in problems_of:
                seen = out.last_seen.get(device_id)
                if seen is None or msg.received_at > seen:
                    out.last_seen[device_id] = msg.received_at
            if i in problems_of:
                problems = problems_of[i]
                listed = "; ".join(d for _, d in problems[:_MAX_LISTED_PROBLEMS])
                more = len(problems) - _MAX_LISTED_PROBLEMS
                detail = listed + (f"; and {more} more" if more > 0 else "")
                if goods:
                    detail = f"{len(goods)} readings stored, {len(problems)} rejected: {detail}"
                self._reject(out, msg, device_id, problems[0][0], detail)
        return out

    @staticmethod
    def _reject(out: Prepared, msg: Message, device_id: str | None, reason: str, detail: str) -> None:
        out.rejected.append(RejectedRow(msg.received_at, msg.topic, msg.payload, reason, detail, device_id))


_TOPIC_KINDS = ("telemetry", "status")
_NUMBER_TYPES = (int, float)
_GOOD = Quality.GOOD
_BAD = Quality.BAD
_STATUS_WORDS = {"online": True, "offline": False, "1": True, "0": False, "true": True, "false": False}


def parse_status(payload: bytes) -> bool | None:
    """True/False from a status message ("online"/"offline", or JSON {"status": ...}); None if neither."""
    text = payload.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            doc = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return None
        value = doc.get("status", doc.get("online")) if isinstance(doc, dict) else None
        if isinstance(value, bool):
            return value
        text = str(value) if value is not None else ""
    return _STATUS_WORDS.get(text.strip('"').lower())


def _names_device(claimed: str, device_id: str) -> bool:
    """A payload's device name matches the topic's: equal, or a URN/path ending in it."""
    return claimed == device_id or claimed.endswith((":" + device_id, "/" + device_id))


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
