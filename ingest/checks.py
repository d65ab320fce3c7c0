"""What a decoded telemetry message and its readings must pass to be stored, and their calibration."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from core.settings import Settings
from core.types import Device
from core.units import UnitError, linear_conversion
from domains import registry
from domains.model import Metric
from domains.qc import history_span_s
from ingest.decode import ItemProblem, RawReading

# How many problems of one message are spelled out in its rejection detail.
_MAX_LISTED_PROBLEMS = 20
_NUMBER_TYPES = (int, float)


class CatalogueEntry(NamedTuple):
    """A catalogue metric with what ingest needs of it per reading, computed once."""

    metric: Metric
    qc_needs_history: bool  # step or persistence checks: the series' recent readings are kept
    history_s: float
    low: float  # the plausible range
    high: float


Catalogue = Mapping[str, CatalogueEntry]  # metric name → entry, for one area


def catalogues() -> dict[str, dict[str, CatalogueEntry]]:
    """Every area's catalogue, by area id."""
    out: dict[str, dict[str, CatalogueEntry]] = {}
    for area in registry.areas():
        for m in area.metrics:
            qc = m.qc
            needs = any(x is not None for x in (qc.step_suspect, qc.step_error, qc.persistence_window_s))
            lo, hi = m.plausible
            catalogue = out.setdefault(area.id, {})
            catalogue[m.name] = CatalogueEntry(m, needs, history_span_s(m), lo, hi)
    return out


class TimeWindow(NamedTuple):
    """The reading times a batch accepts: not beyond the retention, not too far ahead of the clock."""

    earliest: float
    latest: float
    retention_days: int
    max_future_s: int

    @classmethod
    def at(cls, now: float, settings: Settings) -> TimeWindow:
        return cls(
            now - settings.retention_days * 86400.0,
            now + settings.ingest_max_future_s,
            settings.retention_days,
            settings.ingest_max_future_s,
        )


class AcceptedReading(NamedTuple):
    """A reading that passed the checks: canonical unit, calibrated, not yet quality-flagged."""

    metric: str
    time: float
    value: float
    entry: CatalogueEntry


def check_readings(
    readings: Iterable[RawReading],
    device: Device,
    catalogue: Catalogue,
    window: TimeWindow,
    problems: list[ItemProblem],
) -> list[AcceptedReading]:
    """The readings of `device` that can be stored; each other one adds its problem to `problems`.

    In order: metric in the area's `catalogue`, a number, finite, a unit convertible to the
    metric's, a time inside `window`; then the calibration in force at the reading's time.
    """
    accepted: list[AcceptedReading] = []
    domain, calibration = device.domain, device.calibration
    earliest, latest = window.earliest, window.latest
    for name, t, value, unit in readings:
        entry = catalogue.get(name)
        if entry is None:
            problems.append(
                ItemProblem("unknown_metric", f"metric {name!r} is not in the {domain} catalogue")
            )
            continue
        if type(value) not in _NUMBER_TYPES:  # bool is not a number here
            problems.append(ItemProblem("not_a_number", f"{name}: value {value!r} is not a number"))
            continue
        v = float(value)  # type: ignore[arg-type]
        if not math.isfinite(v):
            problems.append(ItemProblem("not_finite", f"{name}: value {value!r} is not finite"))
            continue
        metric = entry.metric
        if unit is not None and unit != metric.unit:
            try:
                gain, offset = linear_conversion(unit, metric.unit)
            except UnitError as exc:
                problems.append(ItemProblem("bad_unit", f"{name}: {exc}; send {metric.unit!r}"))
                continue
            v = gain * v + offset
        if t > latest:
            problems.append(
                ItemProblem(
                    "future_timestamp",
                    f"{name}: time {_iso(t)} is more than {window.max_future_s}s ahead of the server clock",
                )
            )
            continue
        if t < earliest:
            problems.append(
                ItemProblem(
                    "too_old",
                    f"{name}: time {_iso(t)} is older than the {window.retention_days}-day retention",
                )
            )
            continue
        if calibration.versions:
            version = calibration.version_at(name, t)
            if version is not None:
                v = version.apply(v)
        accepted.append(AcceptedReading(name, t, v, entry))
    return accepted


def problems_detail(problems: Sequence[ItemProblem], stored: int) -> str:
    """The rejection detail of a message's problems: the first few spelled out, and how many were stored."""
    listed = "; ".join(p.detail for p in problems[:_MAX_LISTED_PROBLEMS])
    more = len(problems) - _MAX_LISTED_PROBLEMS
    detail = listed + (f"; and {more} more" if more > 0 else "")
    if stored:
        detail = f"{stored} readings stored, {len(problems)} rejected: {detail}"
    return detail


def names_device(claimed: str, device_id: str) -> bool:
    """A payload's device name matches the topic's: equal, or a URN/path ending in it."""
    return claimed == device_id or claimed.endswith((":" + device_id, "/" + device_id))


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
