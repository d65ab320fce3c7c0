"""Environmental noise limits of GB 3096-2008 by zone class and time of day, and how far a level is over.

docs/standards.md §6. Limits are equivalent continuous A-weighted sound levels, dB(A), for day
(06:00–22:00) and night (22:00–06:00). A level complies while it is ≤ its limit; the excess is
level − limit. Local governments may shift the day/night boundary (GB 3096-2008 allows it), so
both hours are parameters.

dB are logarithmic: the level of a stretch of time is the *energy* mean of its readings,
10·lg(mean(10^(L/10))), never their arithmetic mean — one loud minute in a quiet hour counts for
much more than its share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from domains.inputs import read_number, read_series, read_setting
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


class ZoneClass(StrEnum):
    """GB 3096-2008 acoustic environment function zones (声环境功能区)."""

    CLASS_0 = "0"  # convalescence and sanatorium areas needing particular quiet
    CLASS_1 = "1"  # residential, medical, education, research, administration
    CLASS_2 = "2"  # commerce and markets, or mixed residential, commercial and industrial
    CLASS_3 = "3"  # industrial, warehousing and logistics
    CLASS_4A = "4a"  # along highways, urban expressways and main roads, surface rail transit, waterways
    CLASS_4B = "4b"  # along railway trunk lines


class Period(StrEnum):
    DAY = "day"
    NIGHT = "night"


# GB 3096-2008 Table 1, dB(A): (day, night) (docs/standards.md §6).
LIMITS_DB: Mapping[ZoneClass, tuple[float, float]] = {
    ZoneClass.CLASS_0: (50.0, 40.0),
    ZoneClass.CLASS_1: (55.0, 45.0),
    ZoneClass.CLASS_2: (60.0, 50.0),
    ZoneClass.CLASS_3: (65.0, 55.0),
    ZoneClass.CLASS_4A: (70.0, 55.0),
    ZoneClass.CLASS_4B: (70.0, 60.0),
}
DAY_START_H = 6.0  # GB 3096-2008 definitions: day is 06:00–22:00
NIGHT_START_H = 22.0  # night is 22:00–06:00 the next day


def zone_class(raw: object) -> ZoneClass:
    """A zone class from "0"–"3", "4a", "4b" (any case) or the integers 0–3."""
    if isinstance(raw, ZoneClass):
        return raw
    key = str(raw).strip().lower() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    try:
        return ZoneClass(key)
    except ValueError:
        raise InvalidInputError(
            f"noise zone class must be one of {', '.join(z.value for z in ZoneClass)}, got {raw!r}"
        ) from None


def period_at(
    hour: float, *, day_start_h: float = DAY_START_H, night_start_h: float = NIGHT_START_H
) -> Period:
    """Day or night at local `hour` (0 ≤ hour < 24, fractions allowed): day is [06:00, 22:00)."""
    h = require_finite("local hour", hour, minimum=0.0)
    day_start_h = require_finite("day_start_h", day_start_h, minimum=0.0)
    night_start_h = require_finite("night_start_h", night_start_h, minimum=0.0)
    if h >= 24:
        raise InvalidInputError(f"local hour must be within 0 ≤ hour < 24, got {h:g}")
    return Period.DAY if day_start_h <= h < night_start_h else Period.NIGHT


def noise_limit(zone: ZoneClass | str, hour: float, **hours: float) -> float:
    """The GB 3096-2008 limit, dB(A), for a zone class at local `hour`."""
    day, night = LIMITS_DB[zone_class(zone)]
    return day if period_at(hour, **hours) is Period.DAY else night


@dataclass(frozen=True)
class NoiseAssessment:
    """A level against its limit: `over_limit_db` = level − limit (negative when within)."""

    level_db: float
    limit_db: float
    period: Period
    zone: ZoneClass

    @property
    def over_limit_db(self) -> float:
        return self.level_db - self.limit_db

    @property
    def exceeds(self) -> bool:
        return self.level_db > self.limit_db


def assess_noise(level_db: float, zone: ZoneClass | str, hour: float, **hours: float) -> NoiseAssessment:
    """Judge an A-weighted equivalent level (dB) in a zone class at local `hour`."""
    level = require_finite("sound level (dB(A))", level_db)
    z = zone_class(zone)
    period = period_at(hour, **hours)
    return NoiseAssessment(level, noise_limit(z, hour, **hours), period, z)


def equivalent_level(levels_db: Sequence[float]) -> float:
    """Energy mean of equal-duration A-weighted levels: 10·lg(mean(10^(L/10)))."""
    if not levels_db:
        raise InvalidInputError("an equivalent level needs at least one reading")
    values = [require_finite(f"level[{i}] (dB)", v) for i, v in enumerate(levels_db)]
    top = max(values)  # factor out the largest level so 10^(L/10) cannot overflow
    return top + 10.0 * math.log10(sum(10.0 ** ((v - top) / 10.0) for v in values) / len(values))


def local_hour(epoch_s: float, utc_offset_h: float) -> float:
    """Hour of day (fractional) at a fixed UTC offset (−14 h … +14 h, the offsets in use)."""
    offset = require_finite("utc_offset_h", utc_offset_h)
    if abs(offset) > MAX_UTC_OFFSET_H:
        raise InvalidInputError(f"utc_offset_h must be within ±{MAX_UTC_OFFSET_H:g} h, got {offset:g}")
    try:
        moment = datetime.fromtimestamp(require_finite("epoch_s", epoch_s), tz=UTC) + timedelta(hours=offset)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidInputError(f"epoch_s {epoch_s!r} is not a representable time: {exc}") from None
    return moment.hour + moment.minute / 60.0 + (moment.second + moment.microsecond / 1e6) / 3600.0


DEFAULT_ZONE = ZoneClass.CLASS_1  # homes: residential areas are class 1
DEFAULT_UTC_OFFSET_H = 8.0  # China Standard Time
MAX_UTC_OFFSET_H = 14.0  # the widest offsets in use are UTC−12 and UTC+14
LEQ_WINDOW_S = 3600.0  # GB 3096 monitoring reports hourly equivalent levels
OVER_LIMIT_FROM_DB = strictly_above(0.0)
"""GB 3096-2008 complies at ≤ the limit (超标 is above it): the smallest excess (level − limit)
that exceeds, where the noise rule's inclusive rung sits (docs/standards.md §6)."""

WITHIN_NOISE_LIMIT = Level(
    code="within_limit", title=Text(en="Within noise limit", zh="噪声达标"), color="#2E7D32"
)
OVER_NOISE_LIMIT = Level(
    code="over_limit",
    title=Text(en="Above the noise limit", zh="噪声超标"),
    severity=Severity.WARNING,
    color="#FF7E00",
    advice=Text(
        en="Find the source; close windows at night; report persistent nuisance to the authorities.",
        zh="请排查噪声源，夜间关闭门窗；持续扰民可向有关部门投诉。",
    ),
)


def noise_spec(zone: ZoneClass = DEFAULT_ZONE, utc_offset_h: float = DEFAULT_UTC_OFFSET_H) -> IndexSpec:
    """Level − limit (dB) of the last hour's equivalent level, in the period of the newest reading.

    Only readings of the last hour that fall in the same period (day/night) as the newest one are
    averaged, so an hour straddling 22:00 is judged against the night limit with night readings.
    Readings are taken as equal-length intervals. Device settings read from the inputs:
    ``noise_zone_class`` and ``utc_offset_h``.
    """
    zone, utc_offset_h = zone_class(zone), require_finite("utc_offset_h", utc_offset_h)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        points = read_series(inputs, "noise_laeq")
        if not points:
            return None
        z = read_setting(inputs, "noise_zone_class", zone_class, zone)
        offset = read_number(inputs, "utc_offset_h")
        offset = utc_offset_h if offset is None else offset
        newest_t = points[-1][0]
        period = period_at(local_hour(newest_t, offset))
        recent = [
            v for t, v in points if newest_t - t < LEQ_WINDOW_S and period_at(local_hour(t, offset)) is period
        ]
        result = assess_noise(equivalent_level(recent), z, local_hour(newest_t, offset))
        return IndexResult(
            value=result.over_limit_db,
            level=OVER_NOISE_LIMIT if result.exceeds else WITHIN_NOISE_LIMIT,
            details={
                "laeq_db": result.level_db,
                "limit_db": result.limit_db,
                "period": str(result.period),
                "zone_class": str(result.zone),
                "readings": len(recent),
            },
        )

    return IndexSpec(
        id="noise_gb3096",
        title=Text(en="Noise over the GB 3096-2008 limit", zh="噪声超标量（GB 3096-2008）"),
        inputs=(IndexInput("noise_laeq", Window.SERIES),),
        compute=compute,
        source="GB 3096-2008 Table 1, day 06–22 / night 22–06 (docs/standards.md §6)",
        levels=(WITHIN_NOISE_LIMIT, OVER_NOISE_LIMIT),
        unit="dB",
    )


NOISE = noise_spec()
