"""FAO-56 reference evapotranspiration ET0: the daily Penman–Monteith equation and its chapter 3 inputs.

Allen, Pereira, Raes and Smith, *Crop evapotranspiration — Guidelines for computing crop water
requirements*, FAO Irrigation and Drainage Paper 56 (1998); equation numbers below are the
paper's. Daily step, so the soil heat flux G = 0 (eq. 42). Worked example: Example 18 (Brussels,
6 July) gives ET0 = 3.9 mm/day (docs/standards.md §3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from domains.model import InvalidInputError, require_finite

SOLAR_CONSTANT = 0.0820  # Gsc, MJ m⁻² min⁻¹ (FAO-56 eq. 21)
STEFAN_BOLTZMANN = 4.903e-9  # σ, MJ K⁻⁴ m⁻² day⁻¹ (FAO-56 eq. 39)
KELVIN_OFFSET = 273.16  # °C → K as FAO-56 eq. 39 writes it
REFERENCE_ALBEDO = 0.23  # the hypothetical grass reference crop (FAO-56 eq. 38)
W_M2_TO_MJ_DAY = 0.0864  # 1 W/m² held for a day = 86 400 J/m² = 0.0864 MJ m⁻² day⁻¹ (FAO-56 ch. 3)


def atmospheric_pressure(altitude_m: float) -> float:
    """P in kPa at `altitude_m` above sea level (FAO-56 eq. 7)."""
    z = require_finite("altitude_m", altitude_m)
    if not -500.0 <= z <= 9000.0:
        raise InvalidInputError(f"altitude_m must lie within −500 … 9000 m, got {z:g}")
    return 101.3 * math.pow((293.0 - 0.0065 * z) / 293.0, 5.26)


def psychrometric_constant(pressure_kpa: float) -> float:
    """γ in kPa/°C (FAO-56 eq. 8: 0.665 × 10⁻³ P)."""
    return 0.665e-3 * pressure_kpa


def saturation_vapour_pressure(t_c: float) -> float:
    """e°(T) in kPa at air temperature `t_c` °C (FAO-56 eq. 11)."""
    return 0.6108 * math.exp(17.27 * t_c / (t_c + 237.3))


def vapour_pressure_slope(t_c: float) -> float:
    """Δ in kPa/°C, the slope of the saturation vapour pressure curve at `t_c` (FAO-56 eq. 13)."""
    return 4098.0 * saturation_vapour_pressure(t_c) / (t_c + 237.3) ** 2


def actual_vapour_pressure(t_min_c: float, t_max_c: float, rh_max: float, rh_min: float) -> float:
    """eₐ in kPa from the day's extreme temperatures and relative humidities (FAO-56 eq. 17)."""
    wet, dry = saturation_vapour_pressure(t_min_c), saturation_vapour_pressure(t_max_c)
    return (wet * rh_max / 100.0 + dry * rh_min / 100.0) / 2.0


def extraterrestrial_radiation(latitude_deg: float, day_of_year: int) -> float:
    """Rₐ in MJ m⁻² day⁻¹ at `latitude_deg` (north positive) on day `day_of_year` (FAO-56 eqs. 21–25).

    Inside the polar circles the sunset hour angle is clamped to 0 (polar night) or π (midnight
    sun), where eq. 25's arccos has no value.
    """
    lat = require_finite("latitude_deg", latitude_deg)
    if not -90.0 <= lat <= 90.0:
        raise InvalidInputError(f"latitude must lie within −90 … 90°, got {lat:g}")
    if not 1 <= day_of_year <= 366:
        raise InvalidInputError(f"day_of_year must be 1 … 366, got {day_of_year!r}")
    phi = math.radians(lat)
    angle = 2.0 * math.pi * day_of_year / 365.0
    dr = 1.0 + 0.033 * math.cos(angle)  # eq. 23, inverse relative Earth–Sun distance
    decl = 0.409 * math.sin(angle - 1.39)  # eq. 24, solar declination (rad)
    ws = math.acos(max(-1.0, min(1.0, -math.tan(phi) * math.tan(decl))))  # eq. 25
    return (
        24.0 * 60.0 / math.pi
        * SOLAR_CONSTANT
        * dr
        * (ws * math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.sin(ws))
    )  # fmt: skip


def clear_sky_radiation(ra: float, altitude_m: float) -> float:
    """Rₛₒ in MJ m⁻² day⁻¹ (FAO-56 eq. 37: (0.75 + 2 × 10⁻⁵ z) Rₐ)."""
    return (0.75 + 2e-5 * altitude_m) * ra


def net_longwave_radiation(t_min_c: float, t_max_c: float, ea: float, rs: float, rso: float) -> float:
    """Rₙₗ in MJ m⁻² day⁻¹ (FAO-56 eq. 39). Rₛ/Rₛₒ is limited to 1.0, as the paper requires."""
    ratio = min(rs / rso, 1.0) if rso > 0 else 1.0
    kelvin4 = ((t_max_c + KELVIN_OFFSET) ** 4 + (t_min_c + KELVIN_OFFSET) ** 4) / 2.0
    return STEFAN_BOLTZMANN * kelvin4 * (0.34 - 0.14 * math.sqrt(ea)) * (1.35 * ratio - 0.35)


def wind_at_2m(speed_m_s: float, height_m: float) -> float:
    """u₂ in m/s from wind measured at `height_m` above the ground (FAO-56 eq. 47)."""
    z = require_finite("wind_height_m", height_m)
    if not 0.5 <= z <= 100.0:
        raise InvalidInputError(f"wind_height_m must lie within 0.5 … 100 m, got {z:g}")
    return speed_m_s * 4.87 / math.log(67.8 * z - 5.42)


@dataclass(frozen=True)
class DailyWeather:
    """One day at one station, in the units FAO-56 uses.

    Temperatures °C, relative humidities %, wind in m/s at `wind_height_m`, global solar radiation
    `rs` in MJ m⁻² day⁻¹ (a day's mean W/m² × 0.0864), latitude in degrees (north positive),
    altitude in m, day of the year 1–366.
    """

    t_max_c: float
    t_min_c: float
    rh_max: float
    rh_min: float
    wind_m_s: float
    rs: float
    latitude_deg: float
    day_of_year: int
    altitude_m: float = 0.0
    wind_height_m: float = 2.0


@dataclass(frozen=True)
class ReferenceET:
    """ET0 in mm/day and every intermediate FAO-56 value behind it (kPa, kPa/°C, MJ m⁻² day⁻¹, m/s)."""

    et0: float
    delta: float
    gamma: float
    es: float
    ea: float
    u2: float
    ra: float
    rso: float
    rns: float
    rnl: float
    rn: float


def _checked(day: DailyWeather) -> DailyWeather:
    t_max = require_finite("t_max_c", day.t_max_c)
    t_min = require_finite("t_min_c", day.t_min_c)
    if t_min > t_max:
        raise InvalidInputError(f"t_min_c ({t_min:g}) must not exceed t_max_c ({t_max:g})")
    rh_max = require_finite("rh_max", day.rh_max, minimum=0.0)
    rh_min = require_finite("rh_min", day.rh_min, minimum=0.0)
    if not rh_min <= rh_max <= 100.0:
        raise InvalidInputError(f"need 0 ≤ rh_min ({rh_min:g}) ≤ rh_max ({rh_max:g}) ≤ 100 %")
    require_finite("wind_m_s", day.wind_m_s, minimum=0.0)
    require_finite("rs", day.rs, minimum=0.0)
    return day


def reference_et0(day: DailyWeather) -> ReferenceET:
    """Daily grass-reference ET0 by the FAO Penman–Monteith equation (FAO-56 eq. 6, G = 0).

    ET0 = [0.408 Δ (Rₙ − G) + γ 900/(T + 273) u₂ (eₛ − eₐ)] / [Δ + γ (1 + 0.34 u₂)], with
    T = (Tmax + Tmin)/2 (eq. 9), eₛ the mean of e°(Tmax) and e°(Tmin) (eq. 12), Δ at T (eq. 13),
    Rₙ = (1 − 0.23) Rₛ − Rₙₗ (eqs. 38–40). A negative result (a cold, humid, dark day) is reported
    as computed; the index reports it as 0.
    """
    d = _checked(day)
    t_mean = (d.t_max_c + d.t_min_c) / 2.0
    gamma = psychrometric_constant(atmospheric_pressure(d.altitude_m))
    delta = vapour_pressure_slope(t_mean)
    es = (saturation_vapour_pressure(d.t_max_c) + saturation_vapour_pressure(d.t_min_c)) / 2.0
    ea = actual_vapour_pressure(d.t_min_c, d.t_max_c, d.rh_max, d.rh_min)
    u2 = wind_at_2m(d.wind_m_s, d.wind_height_m)
    ra = extraterrestrial_radiation(d.latitude_deg, d.day_of_year)
    rso = clear_sky_radiation(ra, d.altitude_m)
    rns = (1.0 - REFERENCE_ALBEDO) * d.rs
    rnl = net_longwave_radiation(d.t_min_c, d.t_max_c, ea, d.rs, rso)
    rn = rns - rnl
    soil_heat_flux = 0.0  # eq. 42: negligible under the reference surface over a day
    numerator = 0.408 * delta * (rn - soil_heat_flux) + gamma * 900.0 / (t_mean + 273.0) * u2 * (es - ea)
    et0 = numerator / (delta + gamma * (1.0 + 0.34 * u2))
    return ReferenceET(
        et0=et0, delta=delta, gamma=gamma, es=es, ea=ea, u2=u2, ra=ra, rso=rso, rns=rns, rnl=rnl, rn=rn
    )
