"""Inputs of an AQI for the data-validity tests: hourly means beside their minutes of sampling (§1.4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domains.model import IndexResult

HOUR = 3600.0
FIRST = 1_750_000_000 // 3600 * 3600 - 23 * 3600  # the oldest of the 24 clock hours read
SLOTS = [FIRST + i * HOUR for i in range(24)]  # SLOTS[-1] is the current clock hour


def station(metric: str, hours: Mapping[int, tuple[float, float]], **extra: object) -> dict[str, object]:
    """An AQI's inputs for one pollutant: {slot index (0 oldest, 23 current): (mean, minutes with data)}."""
    means = tuple((SLOTS[i], mean) for i, (mean, _) in sorted(hours.items()))
    minutes = tuple((s, float(hours[i][1]) if i in hours else 0.0) for i, s in enumerate(SLOTS))
    return {metric: means, f"{metric}:minutes": minutes, **extra}


def full_hours(indices: Sequence[int], mean: float, minutes: float = 60) -> dict[int, tuple[float, float]]:
    return {i: (mean, minutes) for i in indices}


def invalid(result: IndexResult | None) -> dict[str, dict[str, str]]:
    assert result is not None
    found = result.details["invalid"]
    assert isinstance(found, dict)
    return found


def iaqis(result: IndexResult | None) -> dict[str, int]:
    assert result is not None
    found = result.details["iaqi"]
    assert isinstance(found, dict)
    return found
