"""The weather quantities several areas measure, as Metric templates carrying the §7 limits.

Air temperature, humidity, dew point, wind and global radiation are measured by the environment,
city, agriculture and consumer areas alike, and judged by the same WMO / CMA QX/T 118 range, step
and persistence limits (docs/standards.md §7, constants in :mod:`domains.qc`). An area takes a
template and says which of its device kinds report it — ``replace(WIND_SPEED,
device_kinds=("field_station",))`` — changing the title, source or description where its
devices measure something narrower (indoor air), so a quantity is defined once.
"""

from __future__ import annotations

from domains.model import Metric, Text
from domains.qc import (
    AIR_TEMPERATURE_PLAUSIBLE,
    AIR_TEMPERATURE_QC,
    DEW_POINT_PLAUSIBLE,
    DEW_POINT_QC,
    GLOBAL_RADIATION_PLAUSIBLE,
    RELATIVE_HUMIDITY_PLAUSIBLE,
    RELATIVE_HUMIDITY_QC,
    WIND_DIRECTION_PLAUSIBLE,
    WIND_SPEED_PLAUSIBLE,
    WIND_SPEED_QC,
)

WMO_QC = "docs/standards.md §7 (WMO / CMA QX/T 118 QC)"

AIR_TEMPERATURE = Metric(
    name="air_temperature",
    unit="degC",
    title=Text(en="Air temperature", zh="气温"),
    plausible=AIR_TEMPERATURE_PLAUSIBLE,
    qc=AIR_TEMPERATURE_QC,
    source=WMO_QC,
)

RELATIVE_HUMIDITY = Metric(
    name="relative_humidity",
    unit="percent",
    title=Text(en="Relative humidity", zh="相对湿度"),
    plausible=RELATIVE_HUMIDITY_PLAUSIBLE,
    qc=RELATIVE_HUMIDITY_QC,
    source=WMO_QC,
)

DEW_POINT = Metric(
    name="dew_point",
    unit="degC",
    title=Text(en="Dew point", zh="露点温度"),
    plausible=DEW_POINT_PLAUSIBLE,
    qc=DEW_POINT_QC,
    source=WMO_QC,
)

WIND_SPEED = Metric(
    name="wind_speed",
    unit="m/s",
    title=Text(en="Wind speed", zh="风速"),
    plausible=WIND_SPEED_PLAUSIBLE,
    qc=WIND_SPEED_QC,
    source=WMO_QC,
)

WIND_GUST = Metric(
    name="wind_gust",
    unit="m/s",
    title=Text(en="Wind gust", zh="阵风风速"),
    plausible=WIND_SPEED_PLAUSIBLE,
    qc=WIND_SPEED_QC,
    source=WMO_QC,
)

WIND_DIRECTION = Metric(
    name="wind_direction",
    unit="degree",
    title=Text(en="Wind direction", zh="风向"),
    plausible=WIND_DIRECTION_PLAUSIBLE,
    source=WMO_QC,
)

GLOBAL_RADIATION = Metric(
    name="solar_radiation",
    unit="W/m^2",
    title=Text(en="Global solar radiation", zh="总辐射辐照度"),
    plausible=GLOBAL_RADIATION_PLAUSIBLE,
    source=WMO_QC,
)
