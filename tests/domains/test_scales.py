"""The two table shapes every index uses: piecewise-linear breakpoints and graded bands."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domains.scales import band, piecewise_linear

# The HJ 633-2012 PM2.5 24h row up to IAQI 150, as a polyline (docs/standards.md §1.1).
PM25_BP = (0.0, 35.0, 75.0, 115.0)
IAQI = (0.0, 50.0, 100.0, 150.0)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.0, 0.0),
        (35.0, 50.0),
        (75.0, 100.0),
        (115.0, 150.0),
        # inside a segment: (100 − 50) / (75 − 35) · (55 − 35) + 50 = 75
        (55.0, 75.0),
        # 17.5 is halfway along the first segment
        (17.5, 25.0),
        # (150 − 100) / (115 − 75) · (80 − 75) + 100 = 106.25
        (80.0, 106.25),
    ],
)
def test_piecewise_linear_interpolates_between_breakpoints(x: float, expected: float) -> None:
    assert piecewise_linear(x, PM25_BP, IAQI) == pytest.approx(expected)


@pytest.mark.parametrize("x", [-0.1, 115.1, 1e9])
def test_piecewise_linear_is_none_outside_the_table(x: float) -> None:
    assert piecewise_linear(x, PM25_BP, IAQI) is None


def test_piecewise_linear_uses_the_lower_segment_at_a_shared_breakpoint() -> None:
    # a table that jumps at x = 10: the lower segment ends at 1, the upper one starts at 5
    xs, ys = (0.0, 10.0, 10.0, 20.0), (0.0, 1.0, 5.0, 6.0)
    assert piecewise_linear(10.0, xs, ys) == 1.0
    assert piecewise_linear(15.0, xs, ys) == pytest.approx(5.5)


@pytest.mark.parametrize(
    ("xs", "ys"),
    [((0.0, 1.0), (0.0,)), ((0.0,), (0.0,)), ((), ())],
    ids=["unequal lengths", "one point", "empty"],
)
def test_piecewise_linear_rejects_malformed_tables(xs: tuple[float, ...], ys: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="two equal-length sequences"):
        piecewise_linear(0.0, xs, ys)


@given(st.floats(min_value=0, max_value=115), st.floats(min_value=0, max_value=115))
def test_piecewise_linear_is_monotonic_for_a_rising_table(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    y_lo, y_hi = piecewise_linear(lo, PM25_BP, IAQI), piecewise_linear(hi, PM25_BP, IAQI)
    assert y_lo is not None and y_hi is not None
    assert y_lo <= y_hi + 1e-9
    assert 0.0 <= y_lo <= 150.0


LEVELS = ("excellent", "good", "light", "heavy")
BOUNDS = (50.0, 100.0, 150.0)


@pytest.mark.parametrize(
    ("x", "right", "left"),
    [
        (-10.0, "excellent", "excellent"),
        (49.9, "excellent", "excellent"),
        (50.0, "excellent", "good"),  # the bound itself: ≤ 50 vs < 50
        (50.1, "good", "good"),
        (100.0, "good", "light"),
        (150.0, "light", "heavy"),
        (150.1, "heavy", "heavy"),
        (1e9, "heavy", "heavy"),  # the last band is open-ended
    ],
)
def test_band_closes_each_band_on_the_chosen_side(x: float, right: str, left: str) -> None:
    assert band(x, BOUNDS, LEVELS) == right  # closed="right" is the default
    assert band(x, BOUNDS, LEVELS, closed="right") == right
    assert band(x, BOUNDS, LEVELS, closed="left") == left


def test_band_rejects_a_level_count_that_does_not_fit_the_bounds() -> None:
    with pytest.raises(ValueError, match="one more level than upper bounds"):
        band(10.0, BOUNDS, LEVELS[:3])


@given(st.floats(allow_nan=False), st.floats(allow_nan=False), st.sampled_from(["right", "left"]))
def test_band_is_monotonic(a: float, b: float, closed: str) -> None:
    lo, hi = min(a, b), max(a, b)
    assert LEVELS.index(band(lo, BOUNDS, LEVELS, closed=closed)) <= LEVELS.index(
        band(hi, BOUNDS, LEVELS, closed=closed)
    )


@given(st.floats(allow_nan=False))
def test_band_sides_differ_only_exactly_at_a_bound(x: float) -> None:
    assume(x not in BOUNDS)
    assert band(x, BOUNDS, LEVELS, closed="right") == band(x, BOUNDS, LEVELS, closed="left")
