"""How an index reads the Mapping the platform passes to IndexSpec.compute: numbers, series, settings.

`IndexSpec.compute` receives a ``Mapping[str, object]``: metric name → a float, or for
`Window.SERIES` a sequence of (epoch seconds, value) pairs; besides metrics, the evaluator may pass
device settings (``placard_kpa``, ``machine_group``, ``season`` ...), and each index documents the
keys it reads. Every index takes its inputs out through these readers, so a NaN, a string, a
malformed series or an unknown setting fails at once with an InvalidInputError that names the key
and says what would be accepted, instead of somewhere deep inside an index.

A key that is absent, or present with None, is "not given": the readers return None (or the
setting's default) and the index decides whether it can do without it.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from enum import Enum, StrEnum
from typing import TypeVar, cast

from domains.model import InvalidInputError, require_finite

Point = tuple[float, float]
"""One stored reading of a `Window.SERIES` input: (epoch seconds, value)."""

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
C = TypeVar("C", bound=Enum)

_LARGEST = sys.float_info.max


def as_number(name: str, raw: object, *, minimum: float | None = None) -> float:
    """`raw` as a finite float (≥ `minimum`), else InvalidInputError naming `name`."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidInputError(f"{name} must be a number, got {raw!r}")
    return require_finite(name, raw, minimum=minimum)


def read_number(inputs: Mapping[str, object], name: str, *, minimum: float | None = None) -> float | None:
    """The number under `name`, or None when it is not given.

    A value that is there but not a finite number (≥ `minimum`) is a bug upstream — QC keeps bad
    readings out of indices — so it raises InvalidInputError rather than being skipped.
    """
    raw = inputs.get(name)
    return None if raw is None else as_number(name, raw, minimum=minimum)


def as_series(name: str, raw: object, *, minimum: float | None = None) -> tuple[Point, ...]:
    """`raw` as (epoch_s, value) pairs in time order, each value finite (and ≥ `minimum`).

    The store hands series newest-first or oldest-first depending on the query; sorting here means
    no index has to care. The store keeps one reading per series and instant (its primary key), so
    two readings at one instant are a caller's mistake: they cannot be ordered and would make
    zero-length intervals, and are rejected rather than silently dropped.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise InvalidInputError(
            f"{name} must be a sequence of (epoch_s, value) pairs, got {type(raw).__name__}"
        )
    fast = _already_valid(raw, minimum)
    return fast if fast is not None else _checked_series(name, raw, minimum)


def _already_valid(raw: Sequence[object], minimum: float | None) -> tuple[Point, ...] | None:
    """`raw` as is when it is what the store sends — float pairs, finite, strictly rising — else None.

    A series of 1,440 one-minute readings is checked on every index evaluation, so this common case
    is one pass with no per-point objects. Anything else (another order, ints, a bad point) returns
    None and goes through :func:`_checked_series`, which sorts it or names what is wrong. The result
    is equal to what the careful path would return: sorting an already rising series changes
    nothing, and float() of a float is the float.
    """
    low = -_LARGEST if minimum is None else max(minimum, -_LARGEST)
    previous = -math.inf
    for item in raw:
        if type(item) is not tuple or len(item) != 2:
            return None
        t, v = item
        if type(t) is not float or type(v) is not float:
            return None
        # Chained comparisons are False for NaN, so NaN, ±inf, a value below `minimum` and a time not
        # after the previous one (unsorted, or two readings at one instant) all fall through.
        if not (previous < t <= _LARGEST and low <= v <= _LARGEST):
            return None
        previous = t
    return cast("tuple[Point, ...]", raw if type(raw) is tuple else tuple(raw))


def _checked_series(name: str, raw: Sequence[object], minimum: float | None) -> tuple[Point, ...]:
    """The careful path of :func:`as_series`: each point converted and checked, then sorted by time."""
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


def read_series(
    inputs: Mapping[str, object], name: str, *, minimum: float | None = None
) -> tuple[Point, ...] | None:
    """The time-ordered series under `name` (see :func:`as_series`), or None when it is not given."""
    raw = inputs.get(name)
    return None if raw is None else as_series(name, raw, minimum=minimum)


def read_setting(inputs: Mapping[str, object], name: str, parse: Callable[[object], T], default: T) -> T:
    """The device setting under `name` turned into a value by `parse`, or `default` when not given.

    `parse` raises InvalidInputError saying what it accepts; an index that knows its own settings
    (a zone class, a machine group) brings its parser, everything else uses :func:`read_number`
    or :func:`read_choice`.
    """
    raw = inputs.get(name)
    return default if raw is None else parse(raw)


def as_choice(name: str, raw: object, choices: type[C]) -> C:
    """`raw` as a member of the enum `choices`: a member, its value, or its value written as text
    (case and surrounding blanks ignored; "2" or 2.0 for an integer value 2). Anything else raises
    InvalidInputError naming `name` and the accepted values — never the enum's own ValueError, so
    every domain function refuses a bad choice the way it refuses a bad number."""
    if isinstance(raw, choices):
        return raw
    if isinstance(raw, str | int | float) and not isinstance(raw, bool):
        text = str(raw).strip().lower()
        for choice in choices:
            value = choice.value
            if str(value).lower() == text or (not isinstance(raw, str) and raw == value):
                return choice
    accepted = ", ".join(repr(c.value) for c in choices)
    raise InvalidInputError(f"{name} must be one of {accepted}, got {raw!r}")


def read_choice(inputs: Mapping[str, object], name: str, choices: type[E], default: E) -> E:
    """The device setting under `name` as one of `choices` (see :func:`as_choice`)."""
    return read_setting(inputs, name, lambda raw: as_choice(name, raw, choices), default)


EVALUATED_AT = "evaluated_at"
"""Key of the evaluation time (epoch seconds, the database clock: where every window ends), which
the platform passes to an index besides its windows. An index that must know the current hour
(the US NowCast's "2 of the 3 most recent hours") reads it with :func:`read_number`."""
