"""Reading an IndexSpec's input mapping: numbers, (epoch_s, value) series and device settings, validated.

`IndexSpec.compute` receives a ``Mapping[str, object]``; everything it takes out goes through here so
that a NaN, a string or an unordered series fails with one clear message instead of deep inside an
index. Besides metric names the mapping may carry device settings the evaluator passes along
(e.g. ``machine_group`` for the vibration zone); each index documents the keys it reads.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from domains.model import InvalidInputError, require_finite

Point = tuple[float, float]
"""One stored reading of a `Window.SERIES` input: (epoch seconds, value)."""


def as_number(name: str, raw: object, *, minimum: float | None = None) -> float:
    """`raw` as a finite float (≥ `minimum`), else InvalidInputError naming `name`."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInputError(f"{name} must be a number, got {raw!r}")
    return require_finite(name, raw, minimum=minimum)


def optional_number(inputs: Mapping[str, object], name: str, *, minimum: float | None = None) -> float | None:
    """The number under `name`, or None when the mapping has no such entry (or holds None)."""
    raw = inputs.get(name)
    return None if raw is None else as_number(name, raw, minimum=minimum)


def as_series(name: str, raw: object, *, minimum: float | None = None) -> tuple[Point, ...]:
    """`raw` as (epoch_s, value) pairs in time order; two readings at one instant are rejected.

    The store hands series newest-first or oldest-first depending on the query; sorting here means
    no index has to care. Repeated timestamps cannot be ordered and would give zero-length
    intervals, so they are an error rather than silently dropped.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise InvalidInputError(
            f"{name} must be a sequence of (epoch_s, value) pairs, got {type(raw).__name__}"
        )
    points: list[Point] = []
    for i, item in enumerate(raw):
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise InvalidInputError(f"{name}[{i}] must be an (epoch_s, value) pair, got {item!r}")
        points.append(
            (
                as_number(f"{name}[{i}] time", item[0]),
                as_number(f"{name}[{i}] value", item[1], minimum=minimum),
            )
        )
    points.sort(key=lambda p: p[0])
    for (t0, _), (t1, _) in itertools.pairwise(points):
        if t0 == t1:
            raise InvalidInputError(
                f"{name} has two readings at epoch {t0:g} s; send one value per timestamp"
            )
    return tuple(points)


def optional_series(
    inputs: Mapping[str, object], name: str, *, minimum: float | None = None
) -> tuple[Point, ...] | None:
    """The series under `name`, or None when the mapping has no such entry (or holds None)."""
    raw = inputs.get(name)
    return None if raw is None else as_series(name, raw, minimum=minimum)
