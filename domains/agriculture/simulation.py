"""How farm devices behave for the simulator, and the frost night and drought it can play.

The quiet-day climate is a subtropical one (South China: winter lows around 8 °C, summer highs
around 33 °C), so no frost signal fires on a quiet night; barns are ventilated to stay under THI 72,
greenhouses are kept between 15 and 31 °C and under 85 % RH, ponds above 5 mg/L dissolved oxygen
(GB 11607-89), and soils near 80 % of field capacity (GB/T 32136-2015 light drought from ≤ 60 %).
"""

from __future__ import annotations

from domains.agriculture import drought, frost
from domains.agriculture.rules import AREA_ID, DROUGHT, FROST_SIGNAL
from domains.model import Severity, Text
from domains.simulation import (
    Cycle,
    DeviceProfile,
    Effect,
    EffectOp,
    ExpectedAlert,
    Follows,
    Role,
    Scenario,
    Signal,
)

FIELD_CAPACITY_PERCENT = 30.0  # volumetric water content at field capacity of the simulated loam

FIELD_AIR = Signal(
    "air_temperature", 20.0, diurnal=Cycle(5.5, 14.5), seasonal=Cycle(6.0, 200), wander=0.8, jitter=0.15
)
FIELD_RH = Signal(
    "relative_humidity",
    75.0,
    follows=Follows("air_temperature", -2.5),
    wander=2.5,
    jitter=0.8,
    bounds=(10.0, 100.0),
    decimals=1,
)
SOIL_TEMPERATURE = Signal(
    "soil_temperature", 20.0, diurnal=Cycle(2.0, 16.0), seasonal=Cycle(6.0, 210), wander=0.3, jitter=0.05
)
# Sunshine: a cosine cut off at zero (the metric's plausible floor) — dark from about 18:30 to
# 06:30 in the equinoxes, a longer day and higher noon sun in summer (~930 W/m², ~20 MJ m⁻² a
# day) than in winter (~570 W/m²); drifting cloud takes up to a third off.
FIELD_SOLAR = Signal(
    "solar_radiation",
    0.0,
    diurnal=Cycle(650.0, 12.5),
    seasonal=Cycle(150.0, 172),
    wander=90.0,
    jitter=8.0,
    decimals=0,
)
# Showers: rain falls only while the slow noise rises past the dry base — most days in the summer
# wet season, some days in winter, more often in the afternoon; at most about 1.5 mm per 5-minute
# report (a heavy shower, some 18 mm/h).
FIELD_RAIN = Signal(
    "rainfall",
    -0.9,
    diurnal=Cycle(0.2, 16.0),
    seasonal=Cycle(0.3, 200),
    wander=0.6,
    decimals=1,
)
# A light breeze, stronger in the afternoon; gusts 2 m/s above the mean wind.
FIELD_WIND = Signal("wind_speed", 2.2, diurnal=Cycle(0.9, 14.5), wander=0.5, jitter=0.25, bounds=(0.0, 75.0))
FIELD_GUST = Signal("wind_gust", 4.2, follows=Follows("wind_speed", 1.3), jitter=0.3, bounds=(0.0, 75.0))
FIELD_WIND_DIRECTION = Signal("wind_direction", 160.0, wander=35.0, jitter=8.0, decimals=0)

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile(
        "field_station",
        300.0,
        (
            FIELD_AIR,
            FIELD_RH,
            SOIL_TEMPERATURE,
            # The bare ground radiates to the sky: colder than the air at night, hotter by day.
            Signal(
                "ground_min_temperature",
                19.0,
                follows=Follows("air_temperature", 1.0),
                diurnal=Cycle(2.0, 13.0),
                wander=0.3,
                jitter=0.1,
            ),
            FIELD_SOLAR,
            FIELD_RAIN,
            FIELD_WIND,
            FIELD_GUST,
            FIELD_WIND_DIRECTION,
        ),
    ),
    DeviceProfile(
        "soil_probe",
        900.0,
        (
            Signal("soil_moisture", 24.0, seasonal=Cycle(1.5, 200), wander=0.7, jitter=0.05),
            # GB/T 32136-2015: R = θ / field capacity × 100.
            Signal(
                "relative_soil_moisture",
                80.0,
                follows=Follows("soil_moisture", 100.0 / FIELD_CAPACITY_PERCENT),
                jitter=0.1,
                bounds=(0.0, 200.0),
                decimals=1,
            ),
            SOIL_TEMPERATURE,
        ),
        settings={"field_capacity_percent": FIELD_CAPACITY_PERCENT},
    ),
    DeviceProfile(
        "leaf_sensor",
        300.0,
        (
            Signal(
                "leaf_temperature",
                19.0,
                diurnal=Cycle(7.0, 13.5),
                seasonal=Cycle(6.0, 200),
                wander=0.8,
                jitter=0.2,
            ),
        ),
    ),
    DeviceProfile(
        "barn_sensor",
        300.0,
        (
            Signal(
                "air_temperature",
                17.0,
                diurnal=Cycle(1.5, 15.0),
                seasonal=Cycle(2.0, 200),
                wander=0.5,
                jitter=0.1,
            ),
            Signal(
                "relative_humidity",
                62.0,
                follows=Follows("air_temperature", -2.0),
                wander=3.0,
                jitter=0.6,
                bounds=(10.0, 100.0),
                decimals=1,
            ),
        ),
    ),
    DeviceProfile(
        "do_probe",
        300.0,
        # Algae add oxygen by day and use it up by night; cold water holds more.
        (
            Signal(
                "dissolved_oxygen",
                8.4,
                diurnal=Cycle(1.4, 15.5),
                seasonal=Cycle(0.6, 15),
                wander=0.25,
                jitter=0.05,
            ),
        ),
    ),
    DeviceProfile(
        "greenhouse_sensor",
        300.0,
        (
            Signal(
                "air_temperature",
                23.0,
                diurnal=Cycle(4.0, 13.5),
                seasonal=Cycle(1.5, 200),
                wander=0.6,
                jitter=0.1,
            ),
            Signal(
                "relative_humidity",
                65.0,
                follows=Follows("air_temperature", -1.2),
                wander=1.5,
                jitter=0.5,
                bounds=(10.0, 100.0),
                decimals=1,
            ),
            # Enriched overnight, drawn down by the crop by day.
            Signal("co2", 700.0, diurnal=Cycle(250.0, 3.0), wander=40.0, jitter=8.0, decimals=0),
        ),
    ),
)

_H = 3600.0
_DAY = 86_400.0

# --- frost night ---------------------------------------------------------------------------------

_NIGHT = 3600.0  # a clear, still evening begins an hour into the scenario


def _night(*temperatures: float) -> tuple[tuple[float, float], ...]:
    """Temperatures at dusk, +3, +6, +8, +8.5, +9, +10 and +11 h: the coldest at dawn (+8 h)."""
    hours = (0.0, 3.0, 6.0, 8.0, 8.5, 9.0, 10.0, 11.0)
    return tuple((_NIGHT + h * _H, t) for h, t in zip(hours, temperatures, strict=True))


FROST_NIGHT = Scenario(
    id="frost_night",
    area=AREA_ID,
    title=Text(en="Radiation frost on an orchard", zh="果园辐射霜冻"),
    story=Text(
        en="Behind a cold front the sky clears and the wind drops over a mango orchard in Guangxi. The "
        "ground radiates all night: after midnight its minimum temperature falls below 0 °C (frost blue "
        "signal) and towards dawn below −3 °C (yellow); the leaves go below 0 °C too (blue). The sun "
        "warms both above freezing by mid-morning.",
        zh="冷锋过后，广西一处芒果园夜空晴朗、风力减弱。地面整夜辐射降温：午夜后地面最低温度降到0 °C以下"
        "（霜冻蓝色预警），黎明前降到−3 °C以下（黄色）；叶面温度也降到0 °C以下（蓝色）。"
        "上午日出后两者回升到冰点以上。",
    ),
    roles=(
        Role(
            "station",
            "field_station",
            Text(en="Tiandong orchard weather station", zh="田东果园气象站"),
            "tiandong-orchard",
            23.60,
            107.12,
        ),
        Role(
            "leaf",
            "leaf_sensor",
            Text(en="Tiandong orchard leaf sensor, block 4", zh="田东果园4号地叶面传感器"),
            "tiandong-orchard",
            23.601,
            107.121,
        ),
    ),
    event_s=_NIGHT,
    duration_s=_NIGHT + 10 * _H,
    effects=(
        Effect(
            "station",
            "air_temperature",
            EffectOp.SET,
            _night(9.0, 4.0, 1.0, -1.0, -0.8, 0.5, 6.0, 12.0),
            blend_s=_H,
        ),
        Effect(
            "station",
            "ground_min_temperature",
            EffectOp.SET,
            _night(7.0, 1.5, -2.0, -4.2, -4.0, -1.0, 4.0, 10.0),
            blend_s=_H,
        ),
        Effect(
            "leaf",
            "leaf_temperature",
            EffectOp.SET,
            _night(8.0, 3.0, 0.5, -1.8, -1.6, -0.3, 5.0, 11.0),
            blend_s=_H,
        ),
    ),
    expected=(
        # Ground below 0 °C at about +4.4 h, below −3 °C at about +6.9 h; back above 0 °C at +9.2 h.
        ExpectedAlert(
            FROST_SIGNAL.id,
            "station",
            Severity.MAJOR,
            frost.FROST_YELLOW.code,
            fires_by_s=_NIGHT + 5 * _H,
            peak_s=_NIGHT + 8.25 * _H,
            clears_by_s=_NIGHT + 9.5 * _H,
        ),
        # Leaves below 0 °C at about +6.4 h; back above at +9.1 h.
        ExpectedAlert(
            FROST_SIGNAL.id,
            "leaf",
            Severity.WARNING,
            frost.FROST_BLUE.code,
            fires_by_s=_NIGHT + 7 * _H,
            peak_s=_NIGHT + 8.25 * _H,
            clears_by_s=_NIGHT + 9.5 * _H,
        ),
    ),
    demo_overrides={FROST_SIGNAL.id: {"for_s": 60}},
)

# --- drought -------------------------------------------------------------------------------------

_DRY_FROM = _DAY
_RAIN = 13 * _DAY + 2 * _H


def _theta(relative_percent: float) -> float:
    """Volumetric water content for a relative soil moisture (GB/T 32136-2015: R = θ / fc × 100)."""
    return relative_percent * FIELD_CAPACITY_PERCENT / 100.0


DRY_SPELL = Scenario(
    id="drought",
    area=AREA_ID,
    title=Text(en="Dry spell on a farm", zh="农田干旱"),
    story=Text(
        en="Twelve rainless days in the dry-hot valley of Yuanmou. The soil dries from 80 % of field "
        "capacity past light (≤ 60 %) and moderate (≤ 50 %) into severe drought (≤ 40 %, GB/T "
        "32136-2015) before a storm soaks it back to 90 %.",
        zh="元谋干热河谷连续十二天无雨。土壤相对湿度从田间持水量的80%依次降到轻旱（≤60%）、中旱（≤50%）"
        "直至重旱（≤40%，GB/T 32136-2015），随后一场暴雨使其回升到90%。",
    ),
    roles=(
        Role(
            "probe",
            "soil_probe",
            Text(en="Yuanmou field 3 soil probe, 20 cm", zh="元谋3号田土壤墒情仪（20厘米）"),
            "yuanmou-field-3",
            25.70,
            101.87,
        ),
    ),
    event_s=_DRY_FROM,
    duration_s=_RAIN + 3 * _H,
    effects=(
        Effect(
            "probe",
            "soil_moisture",
            EffectOp.SET,
            (
                (_DRY_FROM, _theta(78.0)),
                (5 * _DAY, _theta(65.0)),
                (9 * _DAY, _theta(51.5)),
                (13 * _DAY, _theta(38.0)),
                (_RAIN, _theta(37.7)),
                (_RAIN + _H, _theta(91.0)),
                (_RAIN + 4 * _H, _theta(88.0)),
                (_RAIN + 10 * _H, _theta(85.0)),
            ),
            blend_s=6 * _H,
        ),
    ),
    expected=(
        # ≤ 60 % at about day 6.5 (plus the rule's hour); severe from about day 12; above 62 % an hour
        # after the storm begins.
        ExpectedAlert(
            DROUGHT.id,
            "probe",
            Severity.MAJOR,
            drought.DROUGHT_SEVERE.code,
            fires_by_s=7 * _DAY,
            peak_s=13 * _DAY + _H,
            clears_by_s=_RAIN + 2 * _H,
        ),
    ),
    demo_overrides={DROUGHT.id: {"for_s": 60}},
)

SCENARIOS: tuple[Scenario, ...] = (FROST_NIGHT, DRY_SPELL)
