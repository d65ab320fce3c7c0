"""What farm devices report: field weather (rain, wind, sunshine too), soil, leaf, pond and greenhouse air."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from domains import weather_metrics as weather
from domains.model import Metric, Text

DEVICE_KINDS: Mapping[str, Text] = {
    "field_station": Text(en="Field weather station", zh="农田气象站"),
    "soil_probe": Text(en="Soil moisture and temperature probe", zh="土壤墒情传感器"),
    "leaf_sensor": Text(en="Leaf temperature sensor", zh="叶面温度传感器"),
    "barn_sensor": Text(en="Livestock barn climate sensor", zh="畜舍环境传感器"),
    "do_probe": Text(en="Pond dissolved-oxygen probe", zh="池塘溶解氧传感器"),
    "greenhouse_sensor": Text(en="Greenhouse climate sensor", zh="温室环境传感器"),
}

_AIR = ("field_station", "barn_sensor", "greenhouse_sensor")
AIR_TEMPERATURE = replace(weather.AIR_TEMPERATURE, device_kinds=_AIR)
RELATIVE_HUMIDITY = replace(weather.RELATIVE_HUMIDITY, device_kinds=_AIR)

SOIL_TEMPERATURE = Metric(
    name="soil_temperature",
    unit="degC",
    title=Text(en="Soil temperature", zh="土壤温度"),
    plausible=(-50.0, 50.0),  # §7 range check
    device_kinds=("soil_probe", "field_station"),
    source="docs/standards.md §7",
)

LEAF_TEMPERATURE = Metric(
    name="leaf_temperature",
    unit="degC",
    title=Text(en="Leaf temperature", zh="叶面温度"),
    plausible=(-50.0, 60.0),
    device_kinds=("leaf_sensor",),
    source="docs/standards.md §3 (observed frost: ground or leaf temperature)",
)

GROUND_MIN_TEMPERATURE = Metric(
    name="ground_min_temperature",
    unit="degC",
    title=Text(en="Ground surface minimum temperature", zh="地面最低温度"),
    # The bare ground surface cools below the air on clear nights and heats far above it by day.
    plausible=(-80.0, 80.0),
    device_kinds=("field_station",),
    source="CMA frost signals (霜冻预警信号): ground minimum temperature",
)

SOIL_MOISTURE = Metric(
    name="soil_moisture",
    unit="percent",
    title=Text(en="Soil volumetric water content", zh="土壤体积含水量"),
    plausible=(0.0, 100.0),
    device_kinds=("soil_probe",),
    source="GB/T 32136-2015 (θ in R = θ / field capacity × 100)",
)

RELATIVE_SOIL_MOISTURE = Metric(
    name="relative_soil_moisture",
    unit="percent",
    title=Text(en="Relative soil moisture (of field capacity)", zh="土壤相对湿度"),
    # Above field capacity (100 %) after rain or irrigation until the soil drains; up to about
    # porosity / field capacity, which stays under 200 % for field soils.
    plausible=(0.0, 200.0),
    device_kinds=("soil_probe",),
    source="GB/T 32136-2015: R = θ / field capacity × 100",
)

DISSOLVED_OXYGEN = Metric(
    name="dissolved_oxygen",
    unit="mg/L",
    title=Text(en="Dissolved oxygen (pond)", zh="池塘溶解氧"),
    # Algae-rich ponds supersaturate on sunny afternoons, past 20 mg/L.
    plausible=(0.0, 30.0),
    device_kinds=("do_probe",),
    source="GB 11607-89 (渔业水质标准)",
)

CO2 = Metric(
    name="co2",
    unit="ppm",
    title=Text(en="Greenhouse CO2", zh="温室二氧化碳浓度"),
    plausible=(0.0, 10_000.0),
    device_kinds=("greenhouse_sensor",),
    source="docs/standards.md §3 (greenhouse enrichment, practice)",
)

# What a field weather station adds to air temperature and humidity for irrigation and frost
# decisions: rain, wind and sunshine (FAO-56 reference evapotranspiration, docs/standards.md §3).

RAINFALL = Metric(
    name="rainfall",
    unit="mm",
    title=Text(en="Rainfall since the previous report", zh="降水量（本时段）"),
    # A tipping-bucket gauge reports the rain of its interval (1–10 min). 100 mm in one report is
    # beyond any recorded short-duration rain; not a standard's figure (docs/standards.md App. B).
    plausible=(0.0, 100.0),
    device_kinds=("field_station",),
    source="docs/standards.md §7, Appendix B (instrument bound, not from a standard)",
    description=Text(
        en="Precipitation collected since the station's previous report, in mm of water.",
        zh="自上次上报以来的降水量（毫米）。",
    ),
)

_FIELD = ("field_station",)
WIND_SPEED = replace(
    weather.WIND_SPEED,
    device_kinds=_FIELD,
    description=Text(
        en="Mean wind at the anemometer's height (device setting wind_height_m, 2 m by default).",
        zh="风速仪高度处的平均风速（设备参数 wind_height_m，默认 2 米）。",
    ),
)
WIND_GUST = replace(weather.WIND_GUST, device_kinds=_FIELD)
WIND_DIRECTION = replace(weather.WIND_DIRECTION, device_kinds=_FIELD)
SOLAR_RADIATION = replace(
    weather.GLOBAL_RADIATION,
    device_kinds=_FIELD,
    description=Text(
        en="Irradiance on a horizontal surface (pyranometer); its 24-hour mean × 0.0864 is Rs in "
        "MJ m⁻² day⁻¹ for FAO-56.",
        zh="水平面总辐射辐照度（总辐射表）；24小时平均值 × 0.0864 即 FAO-56 所用的 Rs（MJ m⁻² d⁻¹）。",
    ),
)

METRICS: tuple[Metric, ...] = (
    AIR_TEMPERATURE,
    RELATIVE_HUMIDITY,
    SOIL_TEMPERATURE,
    LEAF_TEMPERATURE,
    GROUND_MIN_TEMPERATURE,
    SOIL_MOISTURE,
    RELATIVE_SOIL_MOISTURE,
    DISSOLVED_OXYGEN,
    CO2,
    RAINFALL,
    WIND_SPEED,
    WIND_GUST,
    WIND_DIRECTION,
    SOLAR_RADIATION,
)
