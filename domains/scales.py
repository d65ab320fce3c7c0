"""Two shapes every standard's table takes: piecewise-linear breakpoints and graded bands.

Each area's index uses these instead of its own loops, so a reviewer checks one lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def piecewise_linear(x: float, xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """y on the polyline through (xs[i], ys[i]); xs ascending. None when x is beyond the last xs.

    At a breakpoint shared by two segments the lower segment is used (x = xs[i] gives ys[i]
    either way). Below xs[0] the result is None as well.
    """
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("piecewise_linear needs two equal-length sequences of at least 2 points")
    if x < xs[0] or x > xs[-1]:
        return None
    for i in range(1, len(xs)):
        if x <= xs[i]:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            return (y1 - y0) / (x1 - x0) * (x - x0) + y0
    return None  # pragma: no cover - unreachable, x <= xs[-1]


def band(x: float, upper_bounds: Sequence[float], levels: Sequence[T], *, closed: str = "right") -> T:
    """The level whose band holds x. `upper_bounds[i]` closes band i; the last level is open-ended.

    closed="right": band i is (bound[i-1], bound[i]]  — "≤ 50 is level 0" style tables.
    closed="left":  band i is [bound[i-1], bound[i])  — "< 50 is level 0" style tables.
    len(levels) must be len(upper_bounds) + 1.
    """
    if len(levels) != len(upper_bounds) + 1:
        raise ValueError("band needs exactly one more level than upper bounds")
    for bound, level in zip(upper_bounds, levels, strict=False):
        if (closed == "right" and x <= bound) or (closed == "left" and x < bound):
            return level
    return levels[-1]
