"""From received MQTT messages to rows the writer stores: check, convert, calibrate, QC-flag.

Each message either contributes readings, or lands in `rejected_messages` with a reason a person
can read — or both, when only some readings of a batch are bad. Device and series look-ups are
cached; the per-series QC history is bounded by what the QC checks need.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import psycopg

from core.settings import Settings
from core.types import Device
from ingest.checks import (
    AcceptedReading,
    TimeWindow,
    catalogues,
    check_readings,
    names_device,
    problems_detail,
)
from ingest.decode import Decoded, DecodeError, ItemProblem, decode
from ingest.quality import QualityFlagger
from ingest.topics import STATUS, TopicScheme, parse_status
from store.ingest_devices import get_devices
from store.series import series_ids
from store.writer import ReadingRow, RejectedRow


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


class StatusReport(NamedTuple):
    """A status message with a valid payload: the device it is for says it is online or not."""

    msg: Message
    device_id: str
    online: bool


class Telemetry:
    """A telemetry message with a valid topic, size and payload, decoded, on its way through the checks.

    The device and reading checks fill in `accepted` (the readings that passed) and `problems` (why
    the others did not). A slotted class and not two tuples: one is made per message of the batch.
    """

    __slots__ = ("accepted", "device_id", "doc", "msg", "problems")

    def __init__(self, msg: Message, device_id: str, doc: Decoded) -> None:
        self.msg = msg
        self.device_id = device_id
        self.doc = doc
        self.accepted: Sequence[AcceptedReading] = ()
        self.problems: Sequence[ItemProblem] = ()


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
        self._quality = QualityFlagger()
        self._catalogues = catalogues()
        self._topics = TopicScheme(settings.topic_prefix)

    @classmethod
    def on_database(cls, settings: Settings, db: Callable[[], psycopg.Connection]) -> Pipeline:
        """A pipeline looking devices and series up in the database, on the connection `db()` gives then."""
        return cls(settings, lambda ids: get_devices(db(), ids), lambda pairs: series_ids(db(), pairs))

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

    # -- the batch, phase by phase -------------------------------------------------------------

    def prepare(self, messages: Sequence[Message]) -> Prepared:
        """Check, convert, calibrate and flag a batch; every message not (fully) stored is rejected."""
        out = Prepared()
        window = TimeWindow.at(self._clock(), self.settings)
        statuses, telemetry = self._sort(messages, out)
        devices = self._devices_for({t.device_id for t in telemetry} | {s.device_id for s in statuses})
        self._apply_statuses(statuses, devices, out)
        checked = self._check(telemetry, devices, window, out)
        self._flag(checked, out)
        return out

    def _sort(self, messages: Sequence[Message], out: Prepared) -> tuple[list[StatusReport], list[Telemetry]]:
        """Phase 1, each message alone: topic, status payload, size, decoding."""
        settings = self.settings
        max_bytes = settings.ingest_max_payload_bytes
        statuses: list[StatusReport] = []
        telemetry: list[Telemetry] = []
        for msg in messages:
            where = self._topics.parse(msg.topic)
            if where is None:
                _reject(
                    out,
                    msg,
                    None,
                    "bad_topic",
                    f"topic {msg.topic!r} is not {settings.topic_prefix}/<device_id>/telemetry or …/status",
                )
                continue
            device_id, kind = where
            if kind == STATUS:
                online = parse_status(msg.payload)
                if online is None:
                    _reject(
                        out,
                        msg,
                        device_id,
                        "bad_status",
                        'status payload must be "online" or "offline" (or {"status": "online"})',
                    )
                else:
                    statuses.append(StatusReport(msg, device_id, online))
                continue
            if len(msg.payload) > max_bytes:
                _reject(
                    out,
                    msg,
                    device_id,
                    "payload_too_large",
                    f"payload is {len(msg.payload)} bytes; the limit is "
                    f"{max_bytes} (SENSEGRID_INGEST_MAX_PAYLOAD_BYTES)",
                )
                continue
            try:
                doc = decode(msg.payload, msg.received_at)
            except DecodeError as exc:
                _reject(out, msg, device_id, exc.reason, exc.detail)
                continue
            telemetry.append(Telemetry(msg, device_id, doc))
        return statuses, telemetry

    @staticmethod
    def _apply_statuses(
        statuses: list[StatusReport], devices: Mapping[str, Device | None], out: Prepared
    ) -> None:
        """Phase 2: the latest status of each registered device."""
        for msg, device_id, online in statuses:
            if devices[device_id] is None:
                _reject(out, msg, device_id, "unknown_device", f"device {device_id!r} is not registered")
                continue
            previous = out.status.get(device_id)
            if previous is None or msg.received_at >= previous[1]:
                out.status[device_id] = (online, msg.received_at)

    def _check(
        self,
        telemetry: list[Telemetry],
        devices: Mapping[str, Device | None],
        window: TimeWindow,
        out: Prepared,
    ) -> list[Telemetry]:
        """Phase 3: the device (registered, active, the one the payload names), then each reading.

        Returns the messages of known, active devices, their readings checked."""
        checked: list[Telemetry] = []
        catalogues = self._catalogues
        for message in telemetry:
            device = _sender(message, devices, out)
            if device is None:
                continue
            problems = list(message.doc.problems)
            message.accepted = check_readings(
                message.doc.readings, device, catalogues.get(device.domain, {}), window, problems
            )
            message.problems = problems
            checked.append(message)
        return checked

    def _flag(self, checked: list[Telemetry], out: Prepared) -> None:
        """Phase 4: series ids, quality flags, rows; devices seen; one rejection per message with problems."""
        series = self._series_ids({(c.device_id, a.metric) for c in checked for a in c.accepted})
        add_rows = self._quality.add_rows
        rows, last_seen = out.rows, out.last_seen
        for message in checked:
            device_id, accepted, problems = message.device_id, message.accepted, message.problems
            add_rows(rows, device_id, accepted, series)
            received_at = message.msg.received_at
            if accepted or not problems:
                seen = last_seen.get(device_id)
                if seen is None or received_at > seen:
                    last_seen[device_id] = received_at
            if problems:
                detail = problems_detail(problems, len(accepted))
                _reject(out, message.msg, device_id, problems[0].reason, detail)


def _sender(message: Telemetry, devices: Mapping[str, Device | None], out: Prepared) -> Device | None:
    """The device a message is from if registered, active and the one its payload names; else rejects it."""
    msg, device_id, claimed = message.msg, message.device_id, message.doc.device
    device = devices[device_id]
    if device is None:
        _reject(
            out,
            msg,
            device_id,
            "unknown_device",
            f"device {device_id!r} is not registered (`sensegrid devices add`)",
        )
        return None
    if not device.active:
        _reject(out, msg, device_id, "inactive_device", f"device {device_id!r} is deactivated")
        return None
    if claimed is not None and not names_device(claimed, device_id):
        _reject(
            out,
            msg,
            device_id,
            "device_mismatch",
            f"topic is for device {device_id!r} but the payload names {claimed!r}",
        )
        return None
    return device


def _reject(out: Prepared, msg: Message, device_id: str | None, reason: str, detail: str) -> None:
    out.rejected.append(RejectedRow(msg.received_at, msg.topic, msg.payload, reason, detail, device_id))
