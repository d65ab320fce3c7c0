"""What city devices report: highway visibility and road weather, tunnel gas, water-network pressure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from domains import weather_metrics as weather
from domains.model import Metric, Text

DEVICE_KINDS: Mapping[str, Text] = {
    "visibility_sensor": Text(en="Visibility sensor (forward scatter)", zh="能见度仪"),
    "road_weather_station": Text(en="Road weather station", zh="路面气象站"),
    "tunnel_gas_detector": Text(en="Utility-tunnel gas detector", zh="综合管廊气体探测器"),
    "pressure_logger": Text(en="Water-network pressure logger", zh="供水管网压力记录仪"),
}

VISIBILITY = Metric(
    name="visibility",
    unit="m",
    title=Text(en="Visibility", zh="能见度"),
    # Forward-scatter sensors report roughly 10 m to 50-80 km; 0 m is kept plausible because a
    # sensor in very dense fog may report its floor as 0.
    plausible=(0.0, 80_000.0),
    device_kinds=("visibility_sensor", "road_weather_station"),
    source="docs/standards.md §2 (CMA fog signals, GB/T 27964-2011, road traffic safety regulations art. 81)",
)

ROAD_SURFACE_TEMP = Metric(
    name="road_surface_temp",
    unit="degC",
    title=Text(en="Road surface temperature", zh="路面温度"),
    # Asphalt reaches 70 °C in summer sun; no WMO step limit is defined for pavement (§7 covers air).
    plausible=(-50.0, 80.0),
    device_kinds=("road_weather_station",),
    source="docs/standards.md §2 (road icing)",
)

_ROAD = ("road_weather_station",)
# Utility-tunnel compartments are monitored for temperature and humidity as well as gas
# (GB 50838-2015, environment and equipment monitoring).
_ROAD_AND_TUNNEL = ("road_weather_station", "tunnel_gas_detector")
AIR_TEMPERATURE = replace(weather.AIR_TEMPERATURE, device_kinds=_ROAD_AND_TUNNEL)
RELATIVE_HUMIDITY = replace(
    weather.RELATIVE_HUMIDITY,
    device_kinds=_ROAD_AND_TUNNEL,
    source=f"{weather.WMO_QC}; GB 50838-2015 (tunnel compartments)",
)
# A road surface colder than the dew point takes on dew or hoar frost: what road-weather
# stations report it for.
DEW_POINT = replace(weather.DEW_POINT, device_kinds=_ROAD)
WIND_SPEED = replace(weather.WIND_SPEED, device_kinds=_ROAD)

PRECIPITATION_INTENSITY = Metric(
    name="precipitation_intensity",
    unit="mm/h",
    title=Text(en="Precipitation intensity", zh="降水强度"),
    plausible=(0.0, 500.0),
    device_kinds=("road_weather_station",),
    source="docs/standards.md §2 (road icing: precipitation)",
)

WATER_FILM_THICKNESS = Metric(
    name="water_film_thickness",
    unit="mm",
    title=Text(en="Water film thickness on the road", zh="路面水膜厚度"),
    plausible=(0.0, 50.0),
    device_kinds=("road_weather_station",),
    source="docs/standards.md §2 (road icing: surface water)",
)

FRICTION = Metric(
    name="friction",
    unit="dimensionless",
    title=Text(en="Road friction coefficient", zh="路面摩擦系数"),
    plausible=(0.0, 1.0),
    device_kinds=("road_weather_station",),
    source="docs/standards.md §2 (friction bands: configurable example, not a standard)",
)

CH4_LEL = Metric(
    name="ch4_lel",
    unit="percent",
    title=Text(en="Methane (natural gas), % of LEL", zh="甲烷（天然气）浓度（%LEL）"),
    plausible=(0.0, 100.0),
    device_kinds=("tunnel_gas_detector",),
    description=Text(
        en="Percent of the lower explosive limit; for methane 100 % LEL is 5 % by volume.",
        zh="爆炸下限的百分比；甲烷 100 %LEL 即体积分数 5 %。",
    ),
    source="GB 50838-2015 §7.5 (natural-gas compartment); GB/T 50493-2019 §5.5.2",
)

COMBUSTIBLE_LEL = Metric(
    name="combustible_lel",
    unit="percent",
    title=Text(en="Combustible gas, % of LEL", zh="可燃气体浓度（%LEL）"),
    plausible=(0.0, 100.0),
    device_kinds=("tunnel_gas_detector",),
    source="GB/T 50493-2019 §5.5.2",
)

O2 = Metric(
    name="o2",
    unit="percent",
    title=Text(en="Oxygen, % by volume", zh="氧气浓度（%VOL）"),
    plausible=(0.0, 30.0),  # electrochemical O2 cells span 0-25 or 0-30 % vol
    device_kinds=("tunnel_gas_detector",),
    source="GB/T 50493-2019 §5.5.2 (oxygen deficiency / enrichment)",
)

H2S = Metric(
    name="h2s",
    unit="mg/m^3",
    title=Text(en="Hydrogen sulfide", zh="硫化氢"),
    plausible=(0.0, 1_000.0),
    device_kinds=("tunnel_gas_detector",),
    source="GBZ 2.1-2019 Table 1 (MAC 10 mg/m³); GB/T 50493-2019 §5.5.2",
)

CO = Metric(
    name="co",
    unit="mg/m^3",
    title=Text(en="Carbon monoxide", zh="一氧化碳"),
    plausible=(0.0, 2_000.0),
    device_kinds=("tunnel_gas_detector",),
    source="GBZ 2.1-2019 Table 1 (PC-TWA 20, PC-STEL 30 mg/m³); GB/T 50493-2019 §5.5.2",
)

WATER_PRESSURE = Metric(
    name="water_pressure",
    unit="MPa",
    title=Text(en="Water-network pressure (gauge)", zh="供水管网压力（表压）"),
    # Gauge pressure can fall below zero (down to -0.1 MPa, full vacuum) when a main bursts or
    # drains; such readings are real and must reach the low-pressure rule, not be flagged bad.
    plausible=(-0.1, 2.5),
    device_kinds=("pressure_logger",),
    source="CJ/T 316-2009 (network-end pressure); GB 50013-2018 (minimum service head)",
)

METRICS: tuple[Metric, ...] = (
    VISIBILITY,
    ROAD_SURFACE_TEMP,
    AIR_TEMPERATURE,
    RELATIVE_HUMIDITY,
    DEW_POINT,
    WIND_SPEED,
    PRECIPITATION_INTENSITY,
    WATER_FILM_THICKNESS,
    FRICTION,
    CH4_LEL,
    COMBUSTIBLE_LEL,
    O2,
    H2S,
    CO,
    WATER_PRESSURE,
)
