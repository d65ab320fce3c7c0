"""How the environment indices read what the platform hands an IndexSpec: numbers and raw series."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from domains.model import InvalidInputError, require_finite

HOUR_S = 3600


def number_input(values: Mapping[str, object], metric: str) -> float | None:
    """The float under `metric`, None when absent; InvalidInputError when it is not a number."""
    raw = values.get(metric)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInputError(f"{metric} must be a number, got {raw!r}")
    return float(raw)


def hourly_means(series: object, *, name: str = "series") -> dict[int, float]:
    """Clock-hour means of (epoch seconds, value) points: {hour number (epoch // 3600): mean}.

    An hour holds the points stamped within it. Rejects anything that is not a sequence of pairs of
    finite numbers, and negative values, with InvalidInputError.
    """
    if isinstance(series, str | bytes) or not isinstance(series, Sequence):
        raise InvalidInputError(f"{name} must be a sequence of (epoch seconds, value) pairs, got {series!r}")
    sums: dict[int, list[float]] = {}
    for point in series:
        if isinstance(point, str | bytes) or not isinstance(point, Sequence) or len(point) != 2:
            raise InvalidInputError(f"{name} points must be (epoch seconds, value) pairs, got {point!r}")
        t = require_finite(f"{name} timestamp", point[0])
        v = require_finite(f"{name} value", point[1], minimum=0.0)
        acc = sums.setdefault(math.floor(t / HOUR_S), [0.0, 0.0])
        acc[0] += v
        acc[1] += 1
    return {hour: total / count for hour, (total, count) in sums.items()}
