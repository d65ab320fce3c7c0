"""How environment devices behave for the simulator, and the pollution episode it can play.

Quiet-day levels are those of a northern Chinese city outside a pollution episode, kept where HJ 633
reads "good" or "moderate" (real-time AQI ≤ 100, HJ 633-2026 Table 1: PM2.5 IAQI 100 at 60 µg/m³,
PM10 at 120, O3 1-h at 200, O3 8-h at 160) and where GB 3838-2002 class III holds for the river
station, so no rule of this area fires on a quiet day.
"""

from __future__ import annotations

from domains.environment.hj633_levels import HEAVILY_POLLUTED
from domains.environment.metrics import AQ_STATION, WATER_STATION, WEATHER_STATION
from domains.environment.rules import AQI_CN_LADDER, AREA_ID
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

# Weather mast (an automatic weather station, or the small mast of an air-quality station).
AIR_TEMPERATURE = Signal(
    "air_temperature",
    15.0,
    diurnal=Cycle(5.0, 14.5),  # warmest mid-afternoon
    seasonal=Cycle(12.0, 200),  # warmest mid-July
    wander=1.2,
    jitter=0.05,
    spread=1.0,
)
RELATIVE_HUMIDITY = Signal(
    "relative_humidity",
    60.0,
    follows=Follows("air_temperature", -2.0),  # constant dew point: RH falls as the air warms
    wander=2.5,
    jitter=0.45,
    bounds=(5.0, 100.0),
    decimals=1,
)
AIR_PRESSURE = Signal(
    "air_pressure",
    1012.0,
    diurnal=Cycle(0.8, 10.0),
    seasonal=Cycle(8.0, 15),  # the Siberian high: highest in January
    wander=0.5,
    jitter=0.04,
)
WIND_SPEED = Signal(
    "wind_speed", 2.8, diurnal=Cycle(1.0, 15.0), wander=0.8, jitter=0.3, bounds=(0.0, 75.0), decimals=1
)
WIND_DIRECTION = Signal("wind_direction", 170.0, wander=35.0, jitter=6.0, bounds=(0.0, 360.0), decimals=0)
WEATHER: tuple[Signal, ...] = (AIR_TEMPERATURE, RELATIVE_HUMIDITY, AIR_PRESSURE, WIND_SPEED, WIND_DIRECTION)

AIR_QUALITY: tuple[Signal, ...] = (
    # Highest at night under a shallow boundary layer, and in the heating season.
    Signal(
        "pm25",
        26.0,
        diurnal=Cycle(6.0, 22.0),
        seasonal=Cycle(6.0, 15),
        wander=4.0,
        jitter=1.5,
        bounds=(1.0, 2000.0),
        decimals=1,
    ),
    # PM2.5 is about 60 % of PM10 in a haze; the coarse rest is road and soil dust.
    Signal(
        "pm10", 55.6, follows=Follows("pm25", 1.6), wander=2.0, jitter=1.5, bounds=(2.0, 10000.0), decimals=1
    ),
    Signal(
        "so2",
        8.0,
        diurnal=Cycle(2.0, 10.0),
        seasonal=Cycle(3.0, 15),
        wander=1.5,
        jitter=0.5,
        bounds=(0.5, 10000.0),
        decimals=1,
    ),
    Signal(
        "no2",
        30.0,
        diurnal=Cycle(12.0, 20.0),
        seasonal=Cycle(5.0, 15),
        wander=5.0,
        jitter=1.5,
        bounds=(1.0, 5000.0),
        decimals=1,
    ),
    # Photochemical ozone peaks in the afternoon and in summer.
    Signal(
        "o3",
        60.0,
        diurnal=Cycle(40.0, 15.0),
        seasonal=Cycle(15.0, 180),
        wander=6.0,
        jitter=2.0,
        bounds=(1.0, 2000.0),
        decimals=1,
    ),
    Signal(
        "co",
        0.7,
        diurnal=Cycle(0.2, 21.0),
        seasonal=Cycle(0.2, 15),
        wander=0.1,
        jitter=0.03,
        bounds=(0.05, 200.0),
    ),
)

WATER: tuple[Signal, ...] = (
    Signal("water_ph", 7.6, diurnal=Cycle(0.2, 15.0), wander=0.15, jitter=0.03),  # photosynthesis
    # Cold water holds more oxygen; algae add it by day. Class III needs ≥ 5 mg/L.
    Signal("water_do", 8.6, diurnal=Cycle(1.0, 15.0), seasonal=Cycle(1.2, 15), wander=0.3, jitter=0.05),
    Signal("water_cod_mn", 3.6, wander=0.4, jitter=0.05),  # class III ≤ 6 mg/L
    Signal("water_cod", 14.0, wander=1.2, jitter=0.2, decimals=1),  # class III ≤ 20 mg/L
    Signal("water_nh3n", 0.45, wander=0.08, jitter=0.01, decimals=3),  # class III ≤ 1.0 mg/L
    Signal("water_tp", 0.11, wander=0.02, jitter=0.003, decimals=3),  # rivers, class III ≤ 0.2 mg/L
    Signal("water_tn", 0.7, wander=0.06, jitter=0.01, decimals=3),  # class III ≤ 1.0 mg/L
)

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile(AQ_STATION, 60.0, (*AIR_QUALITY, *WEATHER)),
    DeviceProfile(WEATHER_STATION, 60.0, WEATHER),
    DeviceProfile(WATER_STATION, 3600.0, WATER),  # automatic stations sample hourly to 4-hourly
)

_H = 3600.0
_DAY = 86_400.0
_FRONT = _DAY + 5 * _H  # the cold front arrives on the hour (hourly means are clock-hour means)

# PM2.5 added to the quiet level, hour by hour: the peak hour averages about 165 µg/m³ on top,
# heavily polluted whatever the season (HJ 633-2026 PM2.5 IAQI 200 at 150, 300 at 250 µg/m³), while
# the 24-h mean stays under the 60 µg/m³ exceedance limit. It falls off in the minute before the
# front, so the hour after it is clean.
_PM25_RISE = (
    (_DAY, 0.0),
    (_DAY + _H, 20.0),
    (_DAY + 2 * _H, 50.0),
    (_DAY + 3 * _H, 100.0),
    (_DAY + 4 * _H, 150.0),
    (_FRONT - 60, 178.0),
    (_FRONT, 0.0),
)
_DAMP = ((_DAY, 0.0), (_DAY + 3 * _H, 15.0), (_FRONT - 600, 15.0), (_FRONT, 0.0))
# Calm under the inversion; a brisk northerly behind the front.
_CALM_THEN_NORTHERLY = (
    (_DAY, 1.0),
    (_DAY + 3 * _H, 0.4),
    (_FRONT - 60, 0.4),
    (_FRONT, 2.5),
    (_FRONT + 3 * _H, 1.0),
)

POLLUTION_EPISODE = Scenario(
    id="pollution_episode",
    area=AREA_ID,
    title=Text(en="Winter pollution episode", zh="冬季重污染过程"),
    story=Text(
        en="After a quiet day, stagnant air traps the city's emissions: over five hours PM2.5 climbs "
        "to about 200 µg/m³ (PM10 and NO2 with it, O3 a little), the real-time AQI passes lightly, "
        "moderately and reaches heavily polluted. A cold front arrives on the hour and sweeps the "
        "air clean; the clean hour's value counts once it has 45 minutes of data (GB 3095-2012 §8), "
        "so the alert stays open past the scenario's end.",
        zh="平静的一天之后，静稳天气使城市排放累积：五小时内PM2.5升至约200 µg/m³（PM10、NO2随之升高，"
        "臭氧略升），实时AQI依次达到轻度、中度直至重度污染。整点冷锋过境，空气迅速转好；新的小时值须有45分钟数据"
        "方才有效（GB 3095-2012 第8章），故告警持续到情景结束之后。",
    ),
    roles=(
        Role(
            "station",
            AQ_STATION,
            Text(en="Shijiazhuang Century Park station", zh="石家庄世纪公园监测站"),
            "sjz-century-park",
            38.03,
            114.53,
        ),
    ),
    event_s=_DAY,
    duration_s=_FRONT + 90.0,
    hour_mark_s=_FRONT,
    effects=(
        Effect("station", "pm25", EffectOp.ADD, _PM25_RISE),
        Effect(
            "station",
            "no2",
            EffectOp.ADD,
            ((_DAY, 0.0), (_DAY + 4 * _H, 40.0), (_FRONT - 60, 45.0), (_FRONT, 0.0)),
        ),
        Effect(
            "station",
            "o3",
            EffectOp.ADD,
            ((_DAY, 0.0), (_DAY + 4 * _H, 25.0), (_FRONT - 60, 30.0), (_FRONT, 0.0)),
        ),
        Effect(
            "station",
            "co",
            EffectOp.ADD,
            ((_DAY, 0.0), (_DAY + 4 * _H, 0.8), (_FRONT - 60, 0.9), (_FRONT, 0.0)),
        ),
        Effect("station", "relative_humidity", EffectOp.ADD, _DAMP),
        Effect("station", "wind_speed", EffectOp.SCALE, _CALM_THEN_NORTHERLY),
        Effect(
            "station",
            "air_temperature",
            EffectOp.ADD,
            ((_FRONT, 0.0), (_FRONT + 900, -4.0), (_FRONT + 6 * _H, -4.0)),
        ),
    ),
    expected=(
        # Judged on the hourly mean of the peak hour, the one that ends as the front arrives.
        ExpectedAlert(
            AQI_CN_LADDER.id,
            "station",
            Severity.CRITICAL,
            HEAVILY_POLLUTED.code,
            fires_by_s=_FRONT - 1.0,
            peak_s=_FRONT - 1.0,
            clears_by_s=None,  # the clean hour is valid only after 45 minutes (docs/standards.md §1.4)
        ),
    ),
    demo_overrides={AQI_CN_LADDER.id: {"for_s": 120}},
)

SCENARIOS: tuple[Scenario, ...] = (POLLUTION_EPISODE,)
