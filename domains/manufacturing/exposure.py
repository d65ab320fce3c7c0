"""Workplace exposure to toxic gas after GBZ 2.1-2019: 8-hour TWA and 15-minute STEL from a reading series.

docs/standards.md §4. GBZ 2.1-2019 Table 1 sets, for carbon monoxide (non-high-altitude sites),
PC-TWA 20 mg/m³ and PC-STEL 30 mg/m³; for hydrogen sulphide a ceiling (MAC) of 10 mg/m³ that no
reading may exceed. An exposure complies while it is ≤ its limit; "exceeded" here is > limit.

A fixed monitor does not know who stood next to it, so the TWA it reports is the time-weighted
mean concentration over the last 8 hours of data: what a worker present the whole shift would
have breathed. (GBZ 2.1 divides a worker's exposure by 8 h even when they were exposed for less;
for a monitor, hours without data are unknown, not clean air, so they are left out and the
coverage is reported instead.)

Each reading stands for the interval since the previous reading: a detector's reading is its
view of the period just ended, and the newest reading then counts at once, which is what an
alarm needs. An interval longer than `max_gap_s` is a gap in the data and counts for nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domains.gas_limits import CO_PC_STEL_MG_M3, CO_PC_TWA_MG_M3, H2S_MAC_MG_M3
from domains.inputs import Point, as_series, read_series
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    Window,
    require_finite,
    strictly_above,
)

# GBZ 2.1-2019: an exposure complies while ≤ its limit, so "exceeded" starts at the next float
# above it — where the exceedance rules' inclusive rungs sit (docs/standards.md §4).
TWA_EXCEEDED_FROM = strictly_above(CO_PC_TWA_MG_M3)
STEL_EXCEEDED_FROM = strictly_above(CO_PC_STEL_MG_M3)
TWA_WINDOW_S = 8 * 3600  # GBZ 2.1-2019: PC-TWA is the 8-hour time-weighted average
STEL_WINDOW_S = 15 * 60  # GBZ 2.1-2019: PC-STEL is a 15-minute time-weighted average

DEFAULT_MAX_GAP_S = 600.0
"""Longest interval between two readings still taken as covered (sensegrid choice: detectors
report every few seconds to a minute; ten silent minutes are a gap, not a measurement)."""

DEFAULT_MIN_COVERAGE = 0.75
"""Share of a window that must be covered by data before the index reports an average (sensegrid
choice): a 'TWA' from half an hour of a shift would be a guess."""


@dataclass(frozen=True)
class TimeWeightedAverage:
    """A time-weighted mean over a window ending at `end_s`, and how much of the window had data."""

    value: float
    covered_s: float
    window_s: float
    end_s: float

    @property
    def coverage(self) -> float:
        return self.covered_s / self.window_s


def time_weighted_average(
    samples: Sequence[Point],
    window_s: float,
    *,
    end_s: float | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> TimeWeightedAverage | None:
    """Time-weighted mean of concentration readings over [end_s − window_s, end_s].

    Reading i stands for (t[i−1], t[i]]; the first reading only marks where coverage starts. The
    window ends at the newest reading unless `end_s` is given. None when no covered time falls in
    the window. Concentrations must be ≥ 0.
    """
    window = require_finite("window_s", window_s)
    gap = require_finite("max_gap_s", max_gap_s)
    if window <= 0 or gap <= 0:
        raise InvalidInputError(f"window_s and max_gap_s must be > 0, got {window:g} and {gap:g}")
    points = as_series("concentration series", list(samples), minimum=0.0)
    if len(points) < 2:
        return None
    end = points[-1][0] if end_s is None else require_finite("end_s", end_s)
    start = end - window
    covered = integral = 0.0
    for (t0, _), (t1, value) in itertools.pairwise(points):
        if t1 - t0 > gap:
            continue
        overlap = min(t1, end) - max(t0, start)
        if overlap > 0:
            covered += overlap
            integral += value * overlap
    if covered <= 0:
        return None
    return TimeWeightedAverage(value=integral / covered, covered_s=covered, window_s=window, end_s=end)


@dataclass(frozen=True)
class ExposureAssessment:
    """8-hour TWA and 15-minute STEL of one series against its limits."""

    twa: TimeWeightedAverage | None
    stel: TimeWeightedAverage | None
    twa_limit: float
    stel_limit: float

    @property
    def twa_exceeded(self) -> bool:
        return self.twa is not None and self.twa.value > self.twa_limit

    @property
    def stel_exceeded(self) -> bool:
        return self.stel is not None and self.stel.value > self.stel_limit


def co_exposure(
    samples: Sequence[Point], *, end_s: float | None = None, max_gap_s: float = DEFAULT_MAX_GAP_S
) -> ExposureAssessment:
    """CO (mg/m³) 8-hour TWA and the STEL of the last 15 minutes against GBZ 2.1-2019."""
    return ExposureAssessment(
        twa=time_weighted_average(samples, TWA_WINDOW_S, end_s=end_s, max_gap_s=max_gap_s),
        stel=time_weighted_average(samples, STEL_WINDOW_S, end_s=end_s, max_gap_s=max_gap_s),
        twa_limit=CO_PC_TWA_MG_M3,
        stel_limit=CO_PC_STEL_MG_M3,
    )


def ceiling_exceeded(value_mg_m3: float, mac_mg_m3: float = H2S_MAC_MG_M3) -> bool:
    """True when a reading is above a ceiling (MAC), which no reading may exceed; H2S by default."""
    value = require_finite("concentration (mg/m³)", value_mg_m3, minimum=0.0)
    mac = require_finite("MAC (mg/m³)", mac_mg_m3)
    if mac <= 0:
        raise InvalidInputError(f"MAC must be > 0 mg/m³, got {mac:g}")
    return value > mac


WITHIN_LIMIT = Level(code="within_limit", title=Text(en="Within limit", zh="未超限"), color="#2E7D32")
OVER_TWA = Level(
    code="over_pc_twa",
    title=Text(en="Above PC-TWA", zh="超过时间加权平均容许浓度"),
    severity=Severity.MAJOR,
    color="#FF7E00",
    advice=Text(
        en="Shift exposure above the GBZ 2.1 limit: ventilate, find the source, limit time in the area.",
        zh="班时间加权平均接触浓度超过GBZ 2.1限值：加强通风、查找泄漏源、减少人员停留。",
    ),
)
OVER_STEL = Level(
    code="over_pc_stel",
    title=Text(en="Above PC-STEL", zh="超过短时间接触容许浓度"),
    severity=Severity.MAJOR,
    color="#D32F2F",
    advice=Text(
        en="15-minute exposure above the GBZ 2.1 limit: leave the area or wear respiratory protection.",
        zh="15分钟接触浓度超过GBZ 2.1限值：人员撤离或佩戴呼吸防护。",
    ),
)


def _window_spec(
    index_id: str, title: Text, window_s: int, limit: float, over: Level, min_coverage: float
) -> IndexSpec:
    if not 0.0 < require_finite("min_coverage", min_coverage) <= 1.0:
        raise InvalidInputError(f"min_coverage is a share of the window, 0 < it ≤ 1, got {min_coverage:g}")

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        points = read_series(inputs, "co", minimum=0.0)
        if points is None:
            return None
        avg = time_weighted_average(points, window_s)
        if avg is None or avg.coverage < min_coverage:
            return None
        return IndexResult(
            value=avg.value,
            level=over if avg.value > limit else WITHIN_LIMIT,
            details={"limit_mg_m3": limit, "covered_s": avg.covered_s, "coverage": avg.coverage},
        )

    return IndexSpec(
        id=index_id,
        title=title,
        inputs=(IndexInput("co", Window.SERIES),),
        compute=compute,
        source="GBZ 2.1-2019 Table 1, carbon monoxide (docs/standards.md §4)",
        levels=(WITHIN_LIMIT, over),
        unit="mg/m^3",
    )


def co_twa_spec(min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndexSpec:
    """CO 8-hour TWA (mg/m³) from the series; None until `min_coverage` of 8 h has data."""
    return _window_spec(
        "co_twa_8h",
        Text(en="CO 8-hour time-weighted average", zh="一氧化碳8小时时间加权平均浓度"),
        TWA_WINDOW_S,
        CO_PC_TWA_MG_M3,
        OVER_TWA,
        min_coverage,
    )


def co_stel_spec(min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndexSpec:
    """CO 15-minute STEL (mg/m³) ending at the newest reading; None until `min_coverage` of 15 min."""
    return _window_spec(
        "co_stel_15min",
        Text(en="CO 15-minute short-term exposure", zh="一氧化碳15分钟短时间接触浓度"),
        STEL_WINDOW_S,
        CO_PC_STEL_MG_M3,
        OVER_STEL,
        min_coverage,
    )


CO_TWA = co_twa_spec()
CO_STEL = co_stel_spec()
