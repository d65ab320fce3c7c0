"""The environment area's metric catalogue: air pollutants, weather, surface water."""

from __future__ import annotations

from dataclasses import replace

from domains import weather_metrics as weather
from domains.model import Metric, QCLimits, Text

AQ_STATION = "aq_station"
WEATHER_STATION = "weather_station"
WATER_STATION = "water_station"

DEVICE_KINDS: dict[str, Text] = {
    AQ_STATION: Text(en="Air-quality monitoring station", zh="空气质量自动监测站"),
    WEATHER_STATION: Text(en="Automatic weather station", zh="自动气象站"),
    WATER_STATION: Text(en="Surface-water monitoring station", zh="地表水水质自动监测站"),
}

_AIR = (AQ_STATION,)
_MET = (WEATHER_STATION, AQ_STATION)  # air-quality stations usually carry a small weather mast
_WATER = (WATER_STATION,)

# Pollutant plausible ranges are instrument/plausibility bounds chosen well above anything HJ 633
# indexes (dust storms push PM10 into the thousands); they are not taken from a standard.
_PLAUSIBLE_NOTE = "plausible range: instrument bound, not from a standard"

PM25 = Metric(
    "pm25",
    "ug/m^3",
    Text(en="PM2.5", zh="细颗粒物(PM2.5)"),
    (0.0, 2000.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant; {_PLAUSIBLE_NOTE}",
)
PM10 = Metric(
    "pm10",
    "ug/m^3",
    Text(en="PM10", zh="可吸入颗粒物(PM10)"),
    (0.0, 10000.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant; {_PLAUSIBLE_NOTE}",
)
SO2 = Metric(
    "so2",
    "ug/m^3",
    Text(en="Sulphur dioxide", zh="二氧化硫"),
    (0.0, 10000.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant; {_PLAUSIBLE_NOTE}",
)
NO2 = Metric(
    "no2",
    "ug/m^3",
    Text(en="Nitrogen dioxide", zh="二氧化氮"),
    (0.0, 5000.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant; {_PLAUSIBLE_NOTE}",
)
O3 = Metric(
    "o3",
    "ug/m^3",
    Text(en="Ozone", zh="臭氧"),
    (0.0, 2000.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant; {_PLAUSIBLE_NOTE}",
)
CO = Metric(
    "co",
    "mg/m^3",
    Text(en="Carbon monoxide", zh="一氧化碳"),
    (0.0, 200.0),
    _AIR,
    source=f"HJ 633 / GB 3095-2012 pollutant (mg/m³); {_PLAUSIBLE_NOTE}",
)

# Weather: ranges, step and persistence limits of docs/standards.md §7 (WMO practice, CMA QX/T 118).
AIR_TEMPERATURE = replace(weather.AIR_TEMPERATURE, device_kinds=_MET)
RELATIVE_HUMIDITY = replace(weather.RELATIVE_HUMIDITY, device_kinds=_MET)
AIR_PRESSURE = Metric(
    "air_pressure",
    "hPa",
    Text(en="Air pressure", zh="气压"),
    (500.0, 1100.0),
    _MET,
    QCLimits(step_suspect=0.5, step_error=2.0, persistence_window_s=3600, persistence_min_change=0.1),
    source="docs/standards.md §7 (WMO / CMA QX/T 118): range, step 0.5/2 hPa, persistence 0.1 hPa in 60 min",
)
WIND_SPEED = replace(weather.WIND_SPEED, device_kinds=_MET)
WIND_DIRECTION = replace(weather.WIND_DIRECTION, device_kinds=_MET)

# Surface water: the GB 3838-2002 parameters this area classes (docs/standards.md §1.3).
_WATER_NOTE = "GB 3838-2002 Table 1 parameter; plausible range: instrument bound, not from a standard"
WATER_PH = Metric(
    "water_ph", "dimensionless", Text(en="pH", zh="pH值"), (0.0, 14.0), _WATER, source=_WATER_NOTE
)
WATER_DO = Metric(
    "water_do", "mg/L", Text(en="Dissolved oxygen", zh="溶解氧"), (0.0, 25.0), _WATER, source=_WATER_NOTE
)
WATER_COD_MN = Metric(
    "water_cod_mn",
    "mg/L",
    Text(en="Permanganate index (COD_Mn)", zh="高锰酸盐指数"),
    (0.0, 200.0),
    _WATER,
    source=_WATER_NOTE,
)
WATER_COD = Metric(
    "water_cod",
    "mg/L",
    Text(en="Chemical oxygen demand (COD_Cr)", zh="化学需氧量"),
    (0.0, 2000.0),
    _WATER,
    source=_WATER_NOTE,
)
WATER_NH3N = Metric(
    "water_nh3n", "mg/L", Text(en="Ammonia nitrogen", zh="氨氮"), (0.0, 200.0), _WATER, source=_WATER_NOTE
)
WATER_TP = Metric(
    "water_tp", "mg/L", Text(en="Total phosphorus", zh="总磷"), (0.0, 50.0), _WATER, source=_WATER_NOTE
)
WATER_TN = Metric(
    "water_tn", "mg/L", Text(en="Total nitrogen", zh="总氮"), (0.0, 200.0), _WATER, source=_WATER_NOTE
)

METRICS: tuple[Metric, ...] = (
    PM25,
    PM10,
    SO2,
    NO2,
    O3,
    CO,
    AIR_TEMPERATURE,
    RELATIVE_HUMIDITY,
    AIR_PRESSURE,
    WIND_SPEED,
    WIND_DIRECTION,
    WATER_PH,
    WATER_DO,
    WATER_COD_MN,
    WATER_COD,
    WATER_NH3N,
    WATER_TP,
    WATER_TN,
)
