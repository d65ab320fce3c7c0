"""Indoor air against GB/T 18883-2022: limits with their averaging periods, and thermal comfort ranges.

docs/standards.md §6. GB/T 18883 gives, per parameter, a limit and the period it is averaged over
(1 h, 8 h or 24 h); a parameter complies while its average is ≤ the limit, so an exceedance is an
average *above* it. Formaldehyde, benzene, toluene, xylene and TVOC are as the reference gives
them; CO2, PM2.5, PM10, NO2, CO and the comfort ranges are **[verify]** and only defaults — pass
your own limits (:func:`with_limits`) where the edition in force says otherwise.

Canonical units differ from the standard's where devices speak otherwise: CO2 in ppm (0.10 % by
volume = 1000 ppm) and particles in µg/m³ (0.05 mg/m³ = 50 µg/m³).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domains.inputs import as_choice, read_choice, read_number
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
)


@dataclass(frozen=True)
class IndoorLimit:
    """One parameter's limit, in the metric's canonical unit, and the window it is averaged over."""

    metric: str
    limit: float
    unit: str
    window: Window
    title: Text
    verify: bool = False


_H1, _H8, _H24 = Window.AVG_1H, Window.MOVING_AVG_8H, Window.AVG_24H

# GB/T 18883-2022 Table 1 as given in docs/standards.md §6; verify=True marks the [verify] items
# (configurable defaults, not confirmed from the standard's text).
GBT18883_2022: tuple[IndoorLimit, ...] = (
    IndoorLimit("formaldehyde", 0.08, "mg/m^3", _H1, Text(en="Formaldehyde", zh="甲醛")),
    IndoorLimit("benzene", 0.03, "mg/m^3", _H1, Text(en="Benzene", zh="苯")),
    IndoorLimit("toluene", 0.20, "mg/m^3", _H1, Text(en="Toluene", zh="甲苯")),
    IndoorLimit("xylene", 0.20, "mg/m^3", _H1, Text(en="Xylene", zh="二甲苯")),
    IndoorLimit("tvoc", 0.60, "mg/m^3", _H8, Text(en="TVOC", zh="总挥发性有机化合物")),
    IndoorLimit("co2", 1000.0, "ppm", _H24, Text(en="Carbon dioxide", zh="二氧化碳"), verify=True),  # 0.10 %
    IndoorLimit("pm25", 50.0, "ug/m^3", _H24, Text(en="PM2.5", zh="细颗粒物"), verify=True),  # 0.05 mg/m³
    IndoorLimit("pm10", 100.0, "ug/m^3", _H24, Text(en="PM10", zh="可吸入颗粒物"), verify=True),  # 0.10 mg/m³
    IndoorLimit("no2", 0.20, "mg/m^3", _H1, Text(en="Nitrogen dioxide", zh="二氧化氮"), verify=True),
    # The reference gives CO 10 mg/m³ without its period; 1 h is the 2002 edition's (a default).
    IndoorLimit("co", 10.0, "mg/m^3", _H1, Text(en="Carbon monoxide", zh="一氧化碳"), verify=True),
)


def with_limits(
    overrides: Mapping[str, float], base: Sequence[IndoorLimit] = GBT18883_2022
) -> tuple[IndoorLimit, ...]:
    """`base` with some limits replaced (metric name → new limit in the canonical unit)."""
    known = {lim.metric for lim in base}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InvalidInputError(f"no indoor limit for {unknown}; known: {', '.join(sorted(known))}")
    for metric, limit in overrides.items():
        if require_finite(f"limit for {metric}", limit) <= 0:
            raise InvalidInputError(f"limit for {metric} must be > 0, got {limit:g}")
    return tuple(
        dataclasses.replace(lim, limit=float(overrides[lim.metric])) if lim.metric in overrides else lim
        for lim in base
    )


@dataclass(frozen=True)
class Exceedance:
    """A parameter whose average is above its limit; `ratio` is average / limit."""

    metric: str
    value: float
    limit: float
    unit: str
    window: Window
    ratio: float


def exceedances(
    averages: Mapping[str, float], limits: Sequence[IndoorLimit] = GBT18883_2022
) -> tuple[Exceedance, ...]:
    """Parameters above their limits, in the order of `limits`.

    `averages` maps metric name → the mean over that limit's own period (the caller reads the
    right window; IndexSpec inputs name it). Parameters without a value are not judged.
    """
    found = []
    for lim in limits:
        if lim.metric not in averages:
            continue
        v = require_finite(f"{lim.metric} ({lim.unit})", averages[lim.metric], minimum=0.0)
        if v > lim.limit:
            found.append(Exceedance(lim.metric, v, lim.limit, lim.unit, lim.window, v / lim.limit))
    return tuple(found)


class Season(StrEnum):
    """Which comfort range applies: summer is the cooling season, winter the heating season."""

    SUMMER = "summer"
    WINTER = "winter"
    UNSPECIFIED = "unspecified"  # sensegrid: either season's range is acceptable


@dataclass(frozen=True)
class ComfortRange:
    temperature_c: tuple[float, float]
    rh_percent: tuple[float, float]


# GB/T 18883-2022 Table 1 physical parameters [verify] (docs/standards.md §6), inclusive ranges.
COMFORT: Mapping[Season, ComfortRange] = {
    Season.SUMMER: ComfortRange(temperature_c=(22.0, 28.0), rh_percent=(40.0, 80.0)),
    Season.WINTER: ComfortRange(temperature_c=(16.0, 24.0), rh_percent=(30.0, 60.0)),
    # Season not configured: flag only what neither season accepts (the union of both ranges).
    Season.UNSPECIFIED: ComfortRange(temperature_c=(16.0, 28.0), rh_percent=(30.0, 80.0)),
}


def comfort_deviations(
    season: Season, *, temperature_c: float | None = None, rh_percent: float | None = None
) -> tuple[str, ...]:
    """Which of "too_cold", "too_warm", "too_dry", "too_humid" apply; ends of a range comply."""
    band = COMFORT[as_choice("season", season, Season)]
    found: list[str] = []
    if temperature_c is not None:
        t = require_finite("air temperature (°C)", temperature_c)
        lo, hi = band.temperature_c
        found += ["too_cold"] if t < lo else ["too_warm"] if t > hi else []
    if rh_percent is not None:
        rh = require_finite("relative humidity (%)", rh_percent, minimum=0.0)
        if rh > 100:
            raise InvalidInputError(f"relative humidity must be within 0…100 %, got {rh:g}")
        lo, hi = band.rh_percent
        found += ["too_dry"] if rh < lo else ["too_humid"] if rh > hi else []
    return tuple(found)


AIR_COMPLIANT = Level(
    code="compliant", title=Text(en="Within GB/T 18883", zh="符合GB/T 18883"), color="#2E7D32"
)
AIR_EXCEEDING = Level(
    code="exceeding",
    title=Text(en="Above GB/T 18883 limits", zh="超过GB/T 18883限值"),
    severity=Severity.WARNING,
    color="#FF7E00",
    advice=Text(
        en="Ventilate; find the source (new furniture, cooking, smoking, outdoor haze).",
        zh="请开窗通风，排查污染源（新家具、烹饪、吸烟、室外雾霾）。",
    ),
)


def indoor_air_spec(limits: Sequence[IndoorLimit] = GBT18883_2022) -> IndexSpec:
    """Number of parameters above their limits (index value), each read over its own window."""

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        averages = {
            lim.metric: value
            for lim in limits
            if (value := read_number(inputs, lim.metric, minimum=0.0)) is not None
        }
        if not averages:
            return None
        found = exceedances(averages, limits)
        return IndexResult(
            value=float(len(found)),
            level=AIR_EXCEEDING if found else AIR_COMPLIANT,
            details={
                "assessed": sorted(averages),
                "exceedances": [
                    {
                        "metric": e.metric,
                        "value": e.value,
                        "limit": e.limit,
                        "unit": e.unit,
                        "window": str(e.window),
                        "ratio": e.ratio,
                    }
                    for e in found
                ],
            },
        )

    return IndexSpec(
        id="indoor_air_gbt18883",
        title=Text(
            en="Indoor air parameters above GB/T 18883-2022", zh="室内空气质量超标项数（GB/T 18883-2022）"
        ),
        inputs=tuple(IndexInput(lim.metric, lim.window) for lim in limits),
        compute=compute,
        source="GB/T 18883-2022 Table 1 (docs/standards.md §6); CO2, PM2.5, PM10, NO2, CO "
        "[verify] configurable default",
        levels=(AIR_COMPLIANT, AIR_EXCEEDING),
    )


COMFORTABLE = Level(code="comfortable", title=Text(en="Comfortable", zh="舒适"), color="#2E7D32")
UNCOMFORTABLE = Level(
    code="uncomfortable",
    title=Text(en="Outside the comfort range", zh="超出舒适范围"),
    severity=Severity.INFO,
    color="#FFC107",
    advice=Text(en="Adjust heating, cooling or humidifier.", zh="请调节空调、采暖或加湿器。"),
)


def thermal_comfort_spec(season: Season = Season.UNSPECIFIED) -> IndexSpec:
    """Number of comfort deviations (0–2) from air_temperature and relative_humidity.

    Device setting read from the inputs: ``season`` ("summer" / "winter"); without it the union of
    both ranges applies, so only conditions no season accepts are flagged.
    """
    season = as_choice("season", season, Season)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        t = read_number(inputs, "air_temperature")
        rh = read_number(inputs, "relative_humidity", minimum=0.0)
        if t is None and rh is None:
            return None
        chosen = read_choice(inputs, "season", Season, season)
        found = comfort_deviations(chosen, temperature_c=t, rh_percent=rh)
        return IndexResult(
            value=float(len(found)),
            level=UNCOMFORTABLE if found else COMFORTABLE,
            details={"season": str(chosen), "deviations": list(found)},
        )

    return IndexSpec(
        id="thermal_comfort",
        title=Text(en="Thermal comfort (GB/T 18883-2022)", zh="热舒适（GB/T 18883-2022）"),
        inputs=(IndexInput("air_temperature", Window.AVG_1H), IndexInput("relative_humidity", Window.AVG_1H)),
        compute=compute,
        source="GB/T 18883-2022 physical parameters: 22–28 °C / 40–80 % summer, 16–24 °C / 30–60 % "
        "winter — [verify] configurable default (docs/standards.md §6)",
        levels=(COMFORTABLE, UNCOMFORTABLE),
    )


INDOOR_AIR = indoor_air_spec()
THERMAL_COMFORT = thermal_comfort_spec()
