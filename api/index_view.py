"""Indices computed for devices over their stored data, the way the alert evaluator sees it.

The windows (hourly means from the 1-hour rollup, 24-hour means of hourly means, raw series,
latest good value) are read and assembled by `alerts.windows`, the one time-window helper, so a
view shows exactly the value the rules judge. Only the read side is used here; nothing of the
alert lifecycle runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import psycopg

from alerts.windows import Readings, hourly_since, plan_reads
from core.settings import Settings
from domains.device_settings import device_settings
from domains.inputs import EVALUATED_AT
from domains.model import IndexInput, IndexResult, InvalidInputError, Window
from domains.rule_kinds.base import DEFAULT_SERIES_S, WindowRead, WindowValue
from store.view_devices import ViewDevice
from store.windows import database_now, hourly_rollups, latest_readings, minutes_per_hour, recent_points

Compute = Callable[[Mapping[str, object]], IndexResult | None]


@dataclass(frozen=True)
class DeviceIndex:
    """One device's index: the window values it was computed from, and the result or why not."""

    device: ViewDevice
    inputs: Mapping[str, WindowValue]
    result: IndexResult | None
    error: str | None
    at: float


def _read(spec_input: IndexInput) -> WindowRead:
    if spec_input.window is Window.SERIES:
        return WindowRead(spec_input.metric, Window.SERIES, span_s=DEFAULT_SERIES_S)
    return WindowRead(spec_input.metric, spec_input.window)


def compute_for(
    conn: psycopg.Connection,
    settings: Settings,
    devices: Sequence[ViewDevice],
    inputs: Sequence[IndexInput],
    compute: Compute,
) -> list[DeviceIndex]:
    """The index of each device from its stored windows, in one query per kind of storage."""
    now = database_now(conn)
    reads = [_read(i) for i in inputs]
    pairs = [(sid, read) for d in devices for read in reads if (sid := d.series.get(read.metric)) is not None]
    max_points = settings.alerts_series_max_points
    plan = plan_reads(pairs, now, max_points)
    readings = Readings(
        now=now,
        max_points=max_points,
        latest=latest_readings(conn, plan.latest, now - settings.alerts_max_age_s),
        hourly=hourly_rollups(conn, plan.hourly, hourly_since(now)),
        points=recent_points(conn, plan.points),
        minutes=minutes_per_hour(conn, plan.minutes, hourly_since(now)),
    )
    out: list[DeviceIndex] = []
    for device in devices:
        found: dict[str, WindowValue] = {}
        for read in reads:
            sid = device.series.get(read.metric)
            value = None if sid is None else readings.value(read, sid)
            if value is not None:
                found[read.key] = value
        values = device_settings(device.metadata, latitude=device.latitude, longitude=device.longitude)
        values.update(found)
        values[EVALUATED_AT] = now  # where every window ends: the current hour of a NowCast
        result, error = None, None
        if found:
            try:
                result = compute(values)
            except InvalidInputError as exc:  # the device's settings or data cannot be indexed
                error = str(exc)
        out.append(DeviceIndex(device, found, result, error, now))
    return out
