"""Wire formats: turn one MQTT payload into raw readings (metric, time, value, unit), or say why not.

Two formats are accepted (see ingest/README.md for examples):
- sensegrid JSON: a reading set `{"ts": ..., "metrics": {...}}`, a batch `{"readings": [sets]}` or
  a JSON array of sets. Metric values are numbers or `{"value": x, "unit": "..."}`.
- SenML JSON (RFC 8428): an array of records with bn/bt/bu/n/t/u/v, resolved per §4.6.
Nothing here touches the database; device and metric checks come after decoding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import orjson

# Epoch numbers above this are milliseconds: 1e11 s would be the year 5138, 1e11 ms is 1973.
EPOCH_MS_THRESHOLD = 1e11
# RFC 8428 §4.5.3: SenML times below 2**28 are relative to now.
SENML_RELATIVE_LIMIT = 2**28

# RFC 8428 §12.1 unit symbols → pint expressions, for the units IoT sensors send.
SENML_UNITS: dict[str, str] = {
    "Cel": "degC",
    "K": "kelvin",
    "%RH": "percent",
    "%": "percent",
    "/": "dimensionless",
    "m": "m",
    "km": "km",
    "m/s": "m/s",
    "Pa": "Pa",
    "hPa": "hPa",
    "kPa": "kPa",
    "bar": "bar",
    "V": "V",
    "A": "A",
    "Ohm": "ohm",
    "W": "W",
    "W/m2": "W/m^2",
    "lx": "lx",
    "dB": "dB",
    "dBW": "dBW",
    "ppm": "ppm",
    "ppb": "ppb",
    "kg/m3": "kg/m^3",
    "g": "g",
    "kg": "kg",
    "s": "s",
    "Hz": "Hz",
    "mm/h": "mm/h",
    "m3/s": "m^3/s",
    "l/s": "l/s",
    "deg": "degree",
    "rad": "radian",
    "%EL": "percent",
    "EL": "dimensionless",
    "beats/min": "1/min",
}


class DecodeError(ValueError):
    """The payload is not a valid message; `reason` is the machine code stored with it."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class RawReading(NamedTuple):
    """One decoded reading before device, metric and unit checks. `time` is epoch seconds.

    A named tuple rather than a frozen dataclass: one is built per reading, and a tuple is built
    several times faster."""

    metric: str
    time: float
    value: object  # checked later: must be a finite number
    unit: str | None


class ItemProblem(NamedTuple):
    """A reading inside an otherwise valid message that cannot be used, and why (machine code, text)."""

    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """A payload's readings, the device it names (if any), and the items that were malformed."""

    readings: list[RawReading]
    device: str | None
    problems: list[ItemProblem]


def parse_time(value: object, now: float) -> float:
    """Epoch seconds from ISO-8601 text or epoch seconds/milliseconds; raises DecodeError."""
    if isinstance(value, bool):
        raise DecodeError("bad_timestamp", f"timestamp must be ISO-8601 text or epoch number, got {value!r}")
    if isinstance(value, int | float):
        t = float(value)
        if not math.isfinite(t) or t < 0:
            raise DecodeError("bad_timestamp", f"timestamp {value!r} is not a valid epoch time")
        return t / 1000.0 if t > EPOCH_MS_THRESHOLD else t
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
        except ValueError:
            raise DecodeError(
                "bad_timestamp", f"timestamp {value!r} is not ISO-8601 (e.g. 2026-11-27T08:00:00Z)"
            ) from None
        if parsed.tzinfo is None:
            raise DecodeError("bad_timestamp", f"timestamp {value!r} has no time zone (add Z or +08:00)")
        return parsed.timestamp()
    if value is None:
        return now
    raise DecodeError("bad_timestamp", f"timestamp must be ISO-8601 text or epoch number, got {value!r}")


def decode(payload: bytes, now: float) -> Decoded:
    """Decode a telemetry payload received at `now` (epoch seconds). Raises DecodeError."""
    try:
        doc = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise DecodeError("bad_json", f"payload is not valid JSON: {exc}") from None
    if isinstance(doc, list):
        if not doc:
            raise DecodeError("empty", "payload is an empty array: no readings")
        if _looks_like_senml(doc):
            return _decode_senml(doc, now)
        return _decode_sets(doc, None, now)
    if isinstance(doc, dict):
        device = doc.get("device")
        if device is not None and not isinstance(device, str):
            raise DecodeError("bad_format", f'"device" must be text, got {device!r}')
        if "readings" in doc:
            sets = doc["readings"]
            if not isinstance(sets, list) or not sets:
                raise DecodeError("bad_format", '"readings" must be a non-empty array of reading sets')
            return _decode_sets(sets, device, now)
        if "metrics" in doc:
            return _decode_sets([doc], device, now)
        raise DecodeError(
            "bad_format",
            'JSON object needs "metrics" (one reading set) or "readings" (a batch); '
            f"got keys {sorted(doc)[:10]}",
        )
    raise DecodeError("bad_format", f"payload must be a JSON object or array, got {type(doc).__name__}")


def _looks_like_senml(doc: list[object]) -> bool:
    first = doc[0]
    return isinstance(first, dict) and any(k in first for k in ("bn", "n", "v", "bt", "bu", "vs", "vb"))


def _decode_sets(sets: list[object], device: str | None, now: float) -> Decoded:
    readings: list[RawReading] = []
    problems: list[ItemProblem] = []
    for i, item in enumerate(sets):
        if not isinstance(item, dict):
            raise DecodeError("bad_format", f"reading set #{i} must be an object, got {type(item).__name__}")
        metrics = item.get("metrics")
        if not isinstance(metrics, dict) or not metrics:
            raise DecodeError("bad_format", f'reading set #{i} needs a non-empty "metrics" object')
        item_device = item.get("device")
        if item_device is not None:
            if device is not None and item_device != device:
                raise DecodeError(
                    "device_mismatch", f"reading set #{i} names device {item_device!r}, payload {device!r}"
                )
            device = str(item_device)
        ts_value = item.get("ts", item.get("time"))
        try:
            t = parse_time(ts_value, now)
        except DecodeError as exc:
            problems.append(ItemProblem(exc.reason, f"reading set #{i}: {exc.detail}"))
            continue
        for name, raw in metrics.items():
            if isinstance(raw, dict):
                if "value" not in raw:
                    problems.append(ItemProblem("bad_format", f'metric {name!r} object needs "value"'))
                    continue
                unit = raw.get("unit")
                if unit is not None and not isinstance(unit, str):
                    problems.append(ItemProblem("bad_unit", f"metric {name!r} unit must be text"))
                    continue
                readings.append(RawReading(name, t, raw["value"], unit))
            else:
                readings.append(RawReading(name, t, raw, None))
    return Decoded(readings, device, problems)


def _decode_senml(records: list[object], now: float) -> Decoded:
    readings: list[RawReading] = []
    problems: list[ItemProblem] = []
    base_name = ""
    base_time = 0.0
    base_unit: str | None = None
    device: str | None = None
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise DecodeError("bad_format", f"SenML record #{i} must be an object")
        if "bn" in rec:
            base_name = str(rec["bn"])
        if "bt" in rec:
            bt = rec["bt"]
            if isinstance(bt, bool) or not isinstance(bt, int | float):
                raise DecodeError("bad_timestamp", f"SenML record #{i}: bt must be a number")
            base_time = float(bt)
        if "bu" in rec:
            base_unit = str(rec["bu"])
        if "n" not in rec and "v" not in rec:
            continue  # a record carrying only base fields
        name = base_name + str(rec.get("n", ""))
        dev, metric = _split_senml_name(name)
        if not metric:
            problems.append(ItemProblem("bad_format", f"SenML record #{i}: empty name"))
            continue
        if dev:
            if device is not None and dev != device:
                raise DecodeError("device_mismatch", f"SenML names two devices: {device!r} and {dev!r}")
            device = dev
        if "v" not in rec:
            kinds = [k for k in ("vs", "vb", "vd", "s") if k in rec]
            problems.append(
                ItemProblem(
                    "not_a_number",
                    f"SenML record #{i} ({metric}) has no numeric value v"
                    + (f" (has {', '.join(kinds)}; only numeric v is stored)" if kinds else ""),
                )
            )
            continue
        t_rel = rec.get("t", 0)
        if isinstance(t_rel, bool) or not isinstance(t_rel, int | float):
            problems.append(ItemProblem("bad_timestamp", f"SenML record #{i}: t must be a number"))
            continue
        t = base_time + float(t_rel)
        if t < SENML_RELATIVE_LIMIT:
            t = now + t
        u = rec.get("u", base_unit)
        unit = SENML_UNITS.get(u, u) if isinstance(u, str) else None
        readings.append(RawReading(metric, t, rec["v"], unit))
    return Decoded(readings, device, problems)


def _split_senml_name(name: str) -> tuple[str, str]:
    """'urn:dev:mac:0024befffe804ff1:temp' → ('urn:dev:mac:0024befffe804ff1', 'temp');
    'aq-001/pm25' → ('aq-001', 'pm25'); 'pm25' → ('', 'pm25')."""
    cut = max(name.rfind(":"), name.rfind("/"))
    if cut < 0:
        return "", name
    return name[:cut], name[cut + 1 :]
