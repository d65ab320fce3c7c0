"""How home and personal devices behave for the simulator.

A quiet flat keeps every GB/T 18883-2022 parameter under its limit (formaldehyde 0.08 mg/m³ 1-h,
TVOC 0.60 mg/m³ 8-h, CO2 1000 ppm and PM2.5 50 µg/m³ as 24-h means…), its climate within the comfort
range both seasons accept (16–28 °C, 30–80 % RH), and its noise under the GB 3096-2008 class 1
limits (55 dB(A) by day, 45 at night); the roadside noise meter stays under class 4a (70 / 55).
Batteries are well above the 80 % end-of-life convention.
"""

from __future__ import annotations

from domains.simulation import Cycle, DeviceProfile, Follows, Scenario, Signal

INDOOR_AIR_TEMPERATURE = Signal(
    "air_temperature", 22.5, diurnal=Cycle(1.2, 17.0), seasonal=Cycle(2.0, 200), wander=0.4, jitter=0.05
)
INDOOR_RH = Signal(
    "relative_humidity",
    52.0,
    follows=Follows("air_temperature", -1.5),
    wander=2.0,
    jitter=0.9,
    bounds=(10.0, 100.0),
    decimals=1,
)
# A quiet home: loudest in the afternoon, quietest before dawn (night is 22:00–06:00).
HOME_NOISE = Signal("noise_laeq", 38.0, diurnal=Cycle(5.0, 14.0), wander=1.5, jitter=1.0, decimals=1)

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile(
        "indoor_air_monitor",
        300.0,
        (
            Signal(
                "co2", 650.0, diurnal=Cycle(180.0, 22.0), wander=60.0, jitter=10.0, decimals=0
            ),  # evenings at home
            Signal("formaldehyde", 0.03, wander=0.008, jitter=0.002, bounds=(0.0, 10.0), decimals=3),
            Signal("benzene", 0.006, wander=0.002, jitter=0.0005, bounds=(0.0, 10.0), decimals=4),
            Signal("toluene", 0.04, wander=0.01, jitter=0.002, bounds=(0.0, 20.0), decimals=3),
            Signal("xylene", 0.03, wander=0.01, jitter=0.002, bounds=(0.0, 20.0), decimals=3),
            Signal(
                "tvoc",
                0.25,
                diurnal=Cycle(0.05, 20.0),
                wander=0.05,
                jitter=0.01,
                bounds=(0.0, 50.0),
                decimals=3,
            ),
            Signal(
                "pm25",
                18.0,
                diurnal=Cycle(5.0, 19.0),
                wander=5.0,
                jitter=1.0,
                bounds=(1.0, 2000.0),
                decimals=1,
            ),
            Signal(
                "pm10",
                32.0,
                follows=Follows("pm25", 1.5),
                wander=3.0,
                jitter=1.0,
                bounds=(1.0, 3000.0),
                decimals=1,
            ),
            Signal(
                "no2",
                0.03,
                diurnal=Cycle(0.01, 19.0),
                wander=0.01,
                jitter=0.002,
                bounds=(0.0, 20.0),
                decimals=3,
            ),  # cooking on gas
            Signal("co", 0.6, wander=0.2, jitter=0.05, bounds=(0.0, 1500.0)),
            INDOOR_AIR_TEMPERATURE,
            INDOOR_RH,
        ),
    ),
    DeviceProfile(
        "smart_speaker",
        300.0,
        (
            INDOOR_AIR_TEMPERATURE,
            INDOOR_RH,
            HOME_NOISE,
            Signal("battery_soh", 93.0, spread=4.0, wander=0.2, jitter=0.05, bounds=(0.0, 120.0), decimals=1),
        ),
    ),
    DeviceProfile(
        "wearable",
        300.0,
        (
            HOME_NOISE,
            Signal("battery_soh", 90.0, spread=5.0, wander=0.2, jitter=0.05, bounds=(0.0, 120.0), decimals=1),
        ),
    ),
    DeviceProfile(
        "noise_meter",
        60.0,
        # Traffic noise beside a main road, loudest in the afternoon rush, quietest at 2 am.
        (Signal("noise_laeq", 55.0, diurnal=Cycle(10.0, 14.0), wander=1.0, jitter=1.2, decimals=1),),
        settings={"noise_zone_class": "4a"},  # GB 3096-2008: along main roads
    ),
)

SCENARIOS: tuple[Scenario, ...] = ()
