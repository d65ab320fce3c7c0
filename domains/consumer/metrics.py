"""What home and personal devices report: indoor air, comfort, noise and battery health."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from domains import weather_metrics as weather
from domains.model import Metric, Text

DEVICE_KINDS: Mapping[str, Text] = {
    "indoor_air_monitor": Text(en="Indoor air monitor", zh="室内空气质量监测仪"),
    "smart_speaker": Text(en="Smart speaker", zh="智能音箱"),
    "wearable": Text(en="Wearable", zh="可穿戴设备"),
    "noise_meter": Text(en="Sound level meter", zh="声级计"),
}

_AIR = ("indoor_air_monitor",)
_GBT18883 = "GB/T 18883-2022 Table 1 (docs/standards.md §6)"


def _pollutant(name: str, unit: str, en: str, zh: str, upper: float, verify: bool = False) -> Metric:
    return Metric(
        name=name,
        unit=unit,
        title=Text(en=en, zh=zh),
        plausible=(0.0, upper),
        device_kinds=_AIR,
        source=_GBT18883 + (" [verify]" if verify else ""),
    )


CO2 = _pollutant("co2", "ppm", "Carbon dioxide", "二氧化碳", 10_000.0, verify=True)  # NDIR range 0–10 000 ppm
FORMALDEHYDE = _pollutant("formaldehyde", "mg/m^3", "Formaldehyde", "甲醛", 10.0)
BENZENE = _pollutant("benzene", "mg/m^3", "Benzene", "苯", 10.0)
TOLUENE = _pollutant("toluene", "mg/m^3", "Toluene", "甲苯", 20.0)
XYLENE = _pollutant("xylene", "mg/m^3", "Xylene", "二甲苯", 20.0)
TVOC = _pollutant("tvoc", "mg/m^3", "Total volatile organic compounds", "总挥发性有机化合物", 50.0)
PM25 = _pollutant("pm25", "ug/m^3", "PM2.5", "细颗粒物（PM2.5）", 2_000.0, verify=True)
PM10 = _pollutant("pm10", "ug/m^3", "PM10", "可吸入颗粒物（PM10）", 3_000.0, verify=True)
NO2 = _pollutant("no2", "mg/m^3", "Nitrogen dioxide", "二氧化氮", 20.0, verify=True)
CO = _pollutant("co", "mg/m^3", "Carbon monoxide", "一氧化碳", 1_500.0, verify=True)

_INDOOR = ("indoor_air_monitor", "smart_speaker")
_INDOOR_SOURCE = f"GB/T 18883-2022 comfort [verify]; {weather.WMO_QC}"
AIR_TEMPERATURE = replace(
    weather.AIR_TEMPERATURE,
    title=Text(en="Indoor air temperature", zh="室内温度"),
    device_kinds=_INDOOR,
    source=_INDOOR_SOURCE,
)
RELATIVE_HUMIDITY = replace(
    weather.RELATIVE_HUMIDITY,
    title=Text(en="Indoor relative humidity", zh="室内相对湿度"),
    device_kinds=_INDOOR,
    source=_INDOOR_SOURCE,
)

NOISE_LAEQ = Metric(
    name="noise_laeq",
    unit="dB",
    title=Text(en="Noise level (LAeq, A-weighted)", zh="等效连续A声级"),
    # Class 1/2 sound level meters span roughly 20–140 dB(A).
    plausible=(0.0, 150.0),
    device_kinds=("noise_meter", "smart_speaker", "wearable"),
    source="GB 3096-2008 (docs/standards.md §6)",
    description=Text(
        en="A-weighted equivalent continuous sound level over the device's reporting interval.",
        zh="设备上报周期内的等效连续A计权声级。",
    ),
)

BATTERY_SOH = Metric(
    name="battery_soh",
    unit="percent",
    title=Text(en="Battery state of health", zh="电池健康度"),
    plausible=(0.0, 120.0),  # a new cell may read slightly above its rated capacity
    device_kinds=("wearable", "smart_speaker"),
    source="convention: < 80 % is end of life (docs/standards.md §6)",
)

METRICS: tuple[Metric, ...] = (
    CO2,
    FORMALDEHYDE,
    BENZENE,
    TOLUENE,
    XYLENE,
    TVOC,
    PM25,
    PM10,
    NO2,
    CO,
    AIR_TEMPERATURE,
    RELATIVE_HUMIDITY,
    NOISE_LAEQ,
    BATTERY_SOH,
)
