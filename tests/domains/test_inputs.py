"""The readers of domains.inputs: series in time order, and the fast path equal to the careful one."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domains.inputs import _checked_series, as_series, read_series
from domains.model import InvalidInputError

# Anything a caller might hand in as one point: good and bad numbers, wrong shapes.
_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.sampled_from([0.0, -0.0, 1.0, 60.0, 3600.0]),
)
_point = st.one_of(
    st.tuples(_number, _number),
    st.lists(_number, min_size=2, max_size=2),
    st.tuples(_number),
    st.tuples(_number, _number, _number),
    st.none(),
    st.text(max_size=2),
)
_rising = st.lists(st.floats(min_value=0, max_value=2e9), unique=True).map(sorted)


def _outcome(read: object) -> object:
    try:
        return read()  # type: ignore[operator]
    except InvalidInputError as exc:
        return ("error", str(exc))


@given(st.lists(_point, max_size=12), st.sampled_from([None, 0.0, 10.0]), st.booleans())
def test_as_series_gives_the_careful_result_or_error_for_any_input(
    raw: list[object], minimum: float | None, as_tuple: bool
) -> None:
    series: object = tuple(raw) if as_tuple else raw
    assert _outcome(lambda: as_series("x", series, minimum=minimum)) == _outcome(
        lambda: _checked_series("x", raw, minimum)
    )


@given(_rising, st.lists(st.floats(min_value=0, max_value=1e6), min_size=1), st.booleans())
def test_an_already_sorted_float_series_reads_as_itself(
    times: list[float], values: list[float], newest_first: bool
) -> None:
    points = [(t, values[i % len(values)]) for i, t in enumerate(times)]
    raw = points[::-1] if newest_first else points
    assert as_series("x", raw, minimum=0.0) == tuple(points) == _checked_series("x", raw, 0.0)


def test_a_series_sent_newest_first_is_put_in_time_order() -> None:
    assert as_series("o3", [(120.0, 2.0), (60.0, 1.0)]) == ((60.0, 1.0), (120.0, 2.0))


def test_integer_points_are_read_as_floats() -> None:
    assert as_series("o3", [(60, 1), (120, 2)]) == ((60.0, 1.0), (120.0, 2.0))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([(0.0, 1.0), (60.0, math.nan)], "o3[1] value must be a finite number, got nan"),
        ([(0.0, 1.0), (math.inf, 1.0)], "o3[1] time must be a finite number, got inf"),
        ([(0.0, -1.0)], "o3[0] value must be ≥ 0, got -1"),
        ([(0.0, 1.0), (0.0, 2.0)], "o3 has two readings at epoch 0 s; send one value per timestamp"),
        ([(0.0, 1.0), (60.0,)], "o3[1] must be an (epoch_s, value) pair, got (60.0,)"),
        ([(0.0, True)], "o3[0] value must be a number, got True"),
        ("0,1", "o3 must be a sequence of (epoch_s, value) pairs, got str"),
    ],
)
def test_a_bad_series_is_rejected_saying_what_is_wrong(raw: object, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_series({"o3": raw}, "o3", minimum=0.0)
    assert str(caught.value) == message
