"""Per-reading quality control (range, step, persistence, consistency) after docs/standards.md §7.

The checks follow WMO automatic-station QC practice and CMA QX/T 118, driven by each Metric's
`plausible` range and `QCLimits`. Ingest calls :func:`flag_reading` once per reading with a short,
bounded history of the same series, so everything here is plain float arithmetic with no
allocation on the common path. Every function is total: a NaN or infinite value is BAD.

Flags only ever get worse when combined: ``max()`` of two :class:`Quality` values is the worse one
(GOOD < SUSPECT < BAD), which is how :func:`flag_reading` combines its checks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from domains.model import Metric, QCLimits, Quality

# Enum attribute lookup costs ~100 ns on Python 3.11; ingest calls flag_reading ~100k times a second.
_GOOD, _SUSPECT, _BAD = Quality.GOOD, Quality.SUSPECT, Quality.BAD

DEFAULT_MAX_STEP_GAP_S = 120.0
"""Largest gap between two readings for which the step check still applies (seconds).

§7 gives step limits between *consecutive 1-minute values*. We apply them unscaled to any gap up
to this bound instead of scaling them with the gap: a jump that is implausible within one minute
is no more plausible within ten seconds, so sub-minute sampling only makes the check lenient,
never wrong; whereas stretching the limit over a long gap (linearly or otherwise) has no basis
in the standard and would let a 10-minute gap excuse any jump. 120 s tolerates one missed
1-minute sample and clock jitter. Beyond the bound there is no "consecutive" value and the step
check does not apply (the persistence and range checks still do).
"""

_RELATIVE_TOLERANCE = 1e-9
"""Limits are written in decimals (0.1 °C, 0.5 hPa) that binary floats cannot hold exactly:
1024.1 − 1023.6 is 0.4999999999998863. A change equal to a limit as written must count as
reaching it, so comparisons forgive this much rounding error relative to the values compared.
It is far below any meaningful sensor resolution."""


# §7 limits of the quantities several areas measure, so each area's Metric cites one source (the
# Metric templates made of them: domains/weather_metrics.py). Quantities only one area measures
# (pressure, soil temperature) keep theirs in that area.
AIR_TEMPERATURE_PLAUSIBLE = (-80.0, 60.0)  # §7 range, °C
AIR_TEMPERATURE_QC = QCLimits(
    step_suspect=2.0,  # §7 step between 1-min values, suspect (°C)
    step_error=3.0,  # §7 step, error
    persistence_window_s=3600,  # §7: over ≥ 60 min the value must move...
    persistence_min_change=0.1,  # ...at least 0.1 °C
)
RELATIVE_HUMIDITY_PLAUSIBLE = (0.0, 100.0)  # §7 range, %
RELATIVE_HUMIDITY_QC = QCLimits(
    step_suspect=5.0,  # §7 step, suspect (%)
    step_error=15.0,  # §7 step, error
    persistence_window_s=3600,  # §7: over ≥ 60 min RH must move...
    persistence_min_change=1.0,  # ...at least 1 %...
    persistence_below=95.0,  # ...only while below 95 % (fog and dew sit near saturation)
)
DEW_POINT_PLAUSIBLE = (-80.0, 35.0)  # §7 range, °C
DEW_POINT_QC = QCLimits(step_suspect=2.0, step_error=4.0)  # §7 step between 1-min values, °C
WIND_SPEED_PLAUSIBLE = (0.0, 75.0)  # §7 range, m/s (mean wind and gust alike)
WIND_SPEED_QC = QCLimits(step_suspect=10.0, step_error=20.0)  # §7 step between 1-min values, m/s
WIND_DIRECTION_PLAUSIBLE = (0.0, 360.0)  # §7 range, degrees from north
# §7 range of global (total) solar radiation, W/m². No step or persistence limit: cloud edges
# swing it by hundreds of W/m² within a minute, and it sits at 0 all night.
GLOBAL_RADIATION_PLAUSIBLE = (0.0, 1600.0)


def range_check(metric: Metric, value: float) -> Quality:
    """BAD outside the metric's closed plausible range (§7 Range), or when not finite; else GOOD."""
    lo, hi = metric.plausible
    # NaN fails both comparisons, so the chained test also rejects it; ±inf lies outside any range.
    if lo <= value <= hi:
        return _GOOD
    return _BAD


def _step(qc: QCLimits, previous_value: float, value: float) -> Quality:
    if not math.isfinite(previous_value):
        return _GOOD  # nothing valid to compare against
    change = abs(value - previous_value)
    change += _RELATIVE_TOLERANCE * (1.0 + abs(value) + abs(previous_value))
    error, suspect = qc.step_error, qc.step_suspect
    if error is not None and change >= error:
        return _BAD
    if suspect is not None and change >= suspect:
        return _SUSPECT
    return _GOOD


def step_check(
    metric: Metric,
    previous_value: float,
    previous_epoch_s: float,
    value: float,
    epoch_s: float,
    *,
    max_gap_s: float = DEFAULT_MAX_STEP_GAP_S,
) -> Quality:
    """§7 Step: |value − previous| ≥ step_error → BAD, ≥ step_suspect → SUSPECT, else GOOD.

    Applies only when the previous reading is earlier by at most `max_gap_s` (see
    :data:`DEFAULT_MAX_STEP_GAP_S` for why the limits are not scaled with the gap); otherwise, and
    for metrics without step limits, GOOD. A non-finite `value` is BAD; a non-finite previous value
    gives nothing to compare against, so GOOD.
    """
    if not math.isfinite(value):
        return _BAD
    qc = metric.qc
    if qc.step_suspect is None and qc.step_error is None:
        return _GOOD
    gap = epoch_s - previous_epoch_s
    if not 0.0 < gap <= max_gap_s:
        return _GOOD
    return _step(qc, previous_value, value)


def _persistence(
    qc: QCLimits, value: float, epoch_s: float, earlier: Sequence[tuple[float, float]], count: int
) -> Quality:
    """Persistence of `value` at `epoch_s` against earlier[0:count], walked from the newest back.

    Entries not strictly earlier than `epoch_s` (a redelivered or late reading) are skipped. The
    walk stops as soon as the values have moved enough — the usual case for a live sensor, so
    only a stuck one costs a walk over the whole window.
    """
    window_s = qc.persistence_window_s
    min_change = qc.persistence_min_change
    if window_s is None or min_change is None:
        return _GOOD
    below = qc.persistence_below
    if below is not None and value >= below:
        return _GOOD
    lo = hi = value
    needed = min_change - _RELATIVE_TOLERANCE * (1.0 + abs(value))
    for i in range(count - 1, -1, -1):
        t, v = earlier[i]
        if t >= epoch_s:
            continue
        # Comparisons, not min()/max(): a NaN never wins them and so is ignored, as it should be.
        if v < lo:
            lo = v
        elif v > hi:
            hi = v
        if hi - lo >= needed:
            return _GOOD
        if epoch_s - t >= window_s:
            if below is not None and hi >= below:
                return _GOOD  # part of the window sat where stillness is legitimate
            return _SUSPECT
    return _GOOD  # the samples do not yet cover the window: no evidence of a stuck sensor


def persistence_check(metric: Metric, samples: Sequence[tuple[float, float]]) -> Quality:
    """§7 Persistence: SUSPECT when values covering ≥ the window moved less than the minimum change.

    `samples` are (epoch seconds, value) of one series, oldest first; the last one is the reading
    judged. The window is covered when some sample is at least `persistence_window_s` older than
    the last. While any value in the window is ≥ `persistence_below` (RH near saturation) the
    check does not apply. Too little history, no persistence limits, or an empty sequence: GOOD.
    A non-finite last value is BAD.
    """
    if not samples:
        return _GOOD
    epoch_s, value = samples[-1]
    if not math.isfinite(value):
        return _BAD
    return _persistence(metric.qc, value, epoch_s, samples, len(samples) - 1)


def dew_point_consistency(dew_point: float, air_temperature: float, *, tolerance: float = 0.0) -> Quality:
    """§7 Consistency: the dew point cannot exceed the air temperature (more than `tolerance`).

    A violation is SUSPECT, not BAD: in fog or dew the two sensors sit at saturation and
    legitimately disagree by their accuracy, and the check cannot tell which one is wrong — both
    readings stay usable but visible. Non-finite inputs are BAD.
    """
    if not (math.isfinite(dew_point) and math.isfinite(air_temperature)):
        return _BAD
    if dew_point > air_temperature + tolerance:
        return _SUSPECT
    return _GOOD


def gust_consistency(gust: float, mean_wind: float, *, tolerance: float = 0.0) -> Quality:
    """§7 Consistency: a gust cannot be weaker than the mean wind (by more than `tolerance`).

    SUSPECT on violation for the same reason as :func:`dew_point_consistency`: the check shows that
    one of two readings is wrong, not which. Non-finite inputs are BAD.
    """
    if not (math.isfinite(gust) and math.isfinite(mean_wind)):
        return _BAD
    if gust < mean_wind - tolerance:
        return _SUSPECT
    return _GOOD


def flag_reading(
    metric: Metric,
    value: float,
    epoch_s: float,
    history: Sequence[tuple[float, float]],
    *,
    max_step_gap_s: float = DEFAULT_MAX_STEP_GAP_S,
) -> Quality:
    """The QC flag of one reading: the worst of the range, step and persistence checks.

    `history` holds earlier (epoch seconds, value) readings of the same series, oldest first,
    covering at least :func:`history_span_s` seconds. Keep out of it the readings flagged BAD, so
    that a single spike does not make the good reading after it look like a jump back. Entries not
    strictly earlier than `epoch_s` are ignored, so a redelivered reading is judged like the
    original. The step check compares with the newest earlier entry.

    Consistency checks need a second metric of the same instant and are applied by the caller to
    reading sets with :func:`dew_point_consistency` and :func:`gust_consistency`.
    """
    lo, hi = metric.plausible
    if not lo <= value <= hi:  # also catches NaN and ±inf
        return _BAD
    qc = metric.qc
    flag = _GOOD
    if history and (qc.step_suspect is not None or qc.step_error is not None):
        i = len(history) - 1
        t, previous = history[i]
        while t >= epoch_s and i > 0:  # rare: a late or redelivered reading
            i -= 1
            t, previous = history[i]
        if 0.0 < epoch_s - t <= max_step_gap_s:
            flag = _step(qc, previous, value)
            if flag is _BAD:
                return flag
    if flag is _GOOD:  # persistence can at worst make it SUSPECT; skip the walk if it is already
        flag = _persistence(qc, value, epoch_s, history, len(history))
    return flag


def history_span_s(metric: Metric, *, max_step_gap_s: float = DEFAULT_MAX_STEP_GAP_S) -> float:
    """How many seconds of history :func:`flag_reading` needs for this metric.

    The persistence window plus one sampling gap, so that some reading lies at or beyond the
    window's start even when timestamps jitter; at least `max_step_gap_s` for the step check.
    Ingest keeps a series' readings younger than this and drops older ones.
    """
    window = metric.qc.persistence_window_s
    return max_step_gap_s + (window if window is not None else 0)
