"""The individual AQI (IAQI) of one pollutant concentration on HJ 633 Table 1, in either edition.

docs/standards.md §1.1. Concentrations in µg/m³, CO in mg/m³. Both editions are selectable:
"HJ633-2012" and "HJ633-2026" (in force since 2026-03-01, the default).

Arithmetic is exact (fractions of the decimal value as written), because the IAQI is rounded
*up*: in binary floats CO 1h = 1.1 mg/m³ is 1.1000000000000000888, which would turn IAQI 11 into
12. Every input goes through ``repr`` → Fraction, so a value written as 1.1 is exactly 11/10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from fractions import Fraction

from domains.inputs import as_choice
from domains.model import require_finite


class Edition(StrEnum):
    """Which edition of HJ 633 the breakpoints come from."""

    HJ633_2012 = "HJ633-2012"
    HJ633_2026 = "HJ633-2026"


DEFAULT_EDITION = Edition.HJ633_2026


class Row(StrEnum):
    """One row of HJ 633 Table 1: a pollutant at one averaging time."""

    SO2_24H = "so2_24h"
    SO2_1H = "so2_1h"
    NO2_24H = "no2_24h"
    NO2_1H = "no2_1h"
    PM10_24H = "pm10_24h"
    CO_24H = "co_24h"
    CO_1H = "co_1h"
    O3_1H = "o3_1h"
    O3_8H = "o3_8h"
    PM25_24H = "pm25_24h"


IAQI_POINTS: tuple[int, ...] = (0, 50, 100, 150, 200, 300, 400, 500)  # HJ 633-2012 Table 1, header row

# HJ 633-2012 Table 1 (docs/standards.md §1.1): concentration at each IAQI point, µg/m³ (CO mg/m³).
# A row shorter than IAQI_POINTS stops where the standard stops: above its last value the standard
# defines no IAQI for that row (Table 1 notes: SO2 1h above 800, O3 8h above 800).
# The SO2 24h row is its own row; a known public implementation reuses the SO2 1h row for it, which
# is wrong (docs/standards.md §1.1).
_TABLE_2012: Mapping[Row, tuple[int, ...]] = {
    Row.SO2_24H: (0, 50, 150, 475, 800, 1600, 2100, 2620),
    Row.SO2_1H: (0, 150, 500, 650, 800),
    Row.NO2_24H: (0, 40, 80, 180, 280, 565, 750, 940),
    Row.NO2_1H: (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    Row.PM10_24H: (0, 50, 150, 250, 350, 420, 500, 600),
    Row.CO_24H: (0, 2, 4, 14, 24, 36, 48, 60),
    Row.CO_1H: (0, 5, 10, 35, 60, 90, 120, 150),
    Row.O3_1H: (0, 160, 200, 300, 400, 800, 1000, 1200),
    Row.O3_8H: (0, 100, 160, 215, 265, 800),
    Row.PM25_24H: (0, 35, 75, 115, 150, 250, 350, 500),
}

# HJ 633-2026 changes the IAQI-100 breakpoints of PM10 (150 → 120) and PM2.5 (75 → 60)
# (docs/standards.md §1.1). [verify nothing else changed]: every other value is carried over
# from the 2012 table until checked against the 2026 text.
_IAQI_100_2026: Mapping[Row, int] = {Row.PM10_24H: 120, Row.PM25_24H: 60}


def breakpoints(row: Row, edition: Edition = DEFAULT_EDITION) -> tuple[int, ...]:
    """The concentrations at IAQI 0, 50, 100, ... of `row` in `edition` (HJ 633 Table 1)."""
    row, edition = as_choice("HJ 633 table row", row, Row), as_choice("edition", edition, Edition)
    values = _TABLE_2012[row]
    if edition is Edition.HJ633_2026 and row in _IAQI_100_2026:
        index_100 = IAQI_POINTS.index(100)
        values = (*values[:index_100], _IAQI_100_2026[row], *values[index_100 + 1 :])
    return values


def _exact(value: float) -> Fraction:
    """The decimal a person wrote, exactly: repr() is the shortest string that round-trips."""
    return Fraction(repr(float(value)))


def iaqi(row: Row, concentration: float, edition: Edition = DEFAULT_EDITION) -> int | None:
    """The IAQI of `concentration` on `row`, or None where HJ 633 defines none.

    IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) · (C − BP_lo) + IAQI_lo, rounded up to an integer
    (HJ 633-2012 §4, formula (1); docs/standards.md §1.1). Above the top breakpoint of a full row
    the IAQI is held at 500 (:func:`is_capped` tells); above the top of a short row (SO2 1h, O3 8h
    above 800) the result is None and the caller switches to the other averaging time.
    Raises InvalidInputError for NaN, infinite or negative concentrations.
    """
    # Not scales.piecewise_linear: it works in floats, and rounding up needs exact arithmetic.
    row = as_choice("HJ 633 table row", row, Row)
    c = _exact(require_finite(f"{row.value} concentration", concentration, minimum=0.0))
    bps = breakpoints(row, edition)
    if c > bps[-1]:
        return IAQI_POINTS[-1] if len(bps) == len(IAQI_POINTS) else None
    for i in range(1, len(bps)):
        if c <= bps[i]:
            lo, hi = bps[i - 1], bps[i]
            i_lo, i_hi = IAQI_POINTS[i - 1], IAQI_POINTS[i]
            return math.ceil(Fraction(i_hi - i_lo, hi - lo) * (c - lo) + i_lo)
    raise AssertionError("unreachable: c <= bps[-1] was checked")  # pragma: no cover


def is_capped(row: Row, concentration: float, edition: Edition = DEFAULT_EDITION) -> bool:
    """True when `concentration` lies beyond the top of a full row, so its IAQI is held at 500."""
    row = as_choice("HJ 633 table row", row, Row)
    c = _exact(require_finite(f"{row.value} concentration", concentration, minimum=0.0))
    bps = breakpoints(row, edition)
    return len(bps) == len(IAQI_POINTS) and c > bps[-1]
