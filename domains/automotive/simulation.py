"""How vehicles behave for the simulator, and the tyre leak and thermal runaway it can play.

A quiet EV is charged overnight and driven by day (SOC between about 30 and 90 %, SOC-low warns
at 20 %), its pack stays under 45 °C (the pack-temperature rule warns at 55 °C, GB 38031-2025
App. C (b) at the maker's 60 °C) and its insulation far above 100 Ω/V (GB 18384). Tyres run near
250 kPa hot against a 240 kPa placard, far above the FMVSS 138 warning at 180 kPa.
"""

from __future__ import annotations

from domains.automotive.battery_runaway import THERMAL_RUNAWAY
from domains.automotive.gbt32960 import ALARM_LEVELS, encode_alarm_flags
from domains.automotive.rules import (
    AREA_ID,
    GBT32960_ALARM_LEVEL,
    PACK_TEMPERATURE_HIGH,
    THERMAL_RUNAWAY_ALARM,
    TPMS_UNDER_INFLATION,
)
from domains.automotive.tpms import TYRES, UNDER_INFLATED
from domains.model import Severity, Text
from domains.simulation import (
    Cadence,
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

PLACARD_KPA = 240.0  # the simulated cars' cold inflation pressure
CELLS_IN_SERIES = 96  # a 96s lithium-ion pack, about 355 V

_TYRE_SIGNALS: tuple[Signal, ...] = tuple(
    signal
    for pos in TYRES
    for signal in (
        # Tyres warm up while driving by day and with the season.
        Signal(
            f"tyre_temperature_{pos}",
            32.0 if pos in ("fl", "fr") else 30.0,
            diurnal=Cycle(8.0, 15.0),
            seasonal=Cycle(8.0, 200),
            wander=1.5,
            jitter=0.2,
            decimals=1,
        ),
        # Gay-Lussac: p ∝ T, about 0.82 kPa per °C near 250 kPa and 30 °C.
        Signal(
            f"tyre_pressure_{pos}",
            250.0,
            follows=Follows(f"tyre_temperature_{pos}", 0.82),
            wander=0.8,
            jitter=0.3,
            decimals=1,
        ),
    )
)

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile(
        "vehicle_tbox",
        10.0,  # GB/T 32960.3: real-time reports at most 30 s apart
        (
            # Charged overnight (full at 7 am), driven down through the day.
            Signal(
                "soc",
                60.0,
                diurnal=Cycle(22.0, 7.0),
                wander=3.0,
                jitter=0.05,
                bounds=(0.0, 100.0),
                decimals=1,
            ),
            Signal(
                "cell_voltage_min",
                3.70,
                follows=Follows("soc", 0.006),
                wander=0.003,
                jitter=0.001,
                bounds=(0.0, 5.0),
                decimals=3,
            ),
            Signal(
                "cell_voltage_max",
                3.73,
                follows=Follows("cell_voltage_min", 1.0),
                jitter=0.001,
                bounds=(0.0, 5.0),
                decimals=3,
            ),
            Signal(
                "pack_voltage",
                CELLS_IN_SERIES * 3.715,
                follows=Follows("cell_voltage_min", CELLS_IN_SERIES),
                jitter=0.1,
                decimals=1,
            ),
            Signal(
                "pack_temperature",
                29.0,
                diurnal=Cycle(5.0, 15.0),
                seasonal=Cycle(5.0, 200),
                wander=1.5,
                jitter=0.05,
                decimals=1,
            ),
            # The coldest probe runs a few degrees under the hottest (GB/T 32960.3 extreme values).
            Signal(
                "pack_temperature_min",
                25.5,
                follows=Follows("pack_temperature", 1.0),
                wander=0.4,
                jitter=0.05,
                decimals=1,
            ),
            # Driving in the day and evening, parked at night; the pack discharges while driving.
            Signal("vehicle_speed", 22.0, diurnal=Cycle(22.0, 15.0), wander=12.0, jitter=1.5, decimals=1),
            Signal("pack_current", 12.0, follows=Follows("vehicle_speed", 1.1), jitter=1.0, decimals=1),
            Signal("insulation_resistance", 4.5e6, spread=1.0e6, wander=2.0e5, jitter=1.0e4, decimals=0),
            Signal("gbt32960_alarm_level", 0.0, decimals=0, faults=False),
            Signal("gbt32960_alarm_flags", 0.0, decimals=0, faults=False),
        ),
        settings={"max_operating_temp_c": 60.0},
    ),
    DeviceProfile("tpms", 30.0, _TYRE_SIGNALS, settings={"placard_kpa": PLACARD_KPA}),
)

_H = 3600.0
_MIN = 60.0

# --- tyre slow leak --------------------------------------------------------------------------------

_NAIL = _H
_REPAIR = 7.5 * _H

TYRE_SLOW_LEAK = Scenario(
    id="tyre_slow_leak",
    area=AREA_ID,
    title=Text(en="Slow leak in a tyre", zh="轮胎慢撒气"),
    story=Text(
        en="A ride-hailing car picks up a nail in its rear-left tyre, which loses about 16 kPa an hour. "
        "Some five hours later it is 25 % below the 240 kPa placard (FMVSS 138 warning at 180 kPa); the "
        "driver is told, has the tyre plugged and pumped up, and the warning goes off.",
        zh="一辆网约车左后轮扎钉，每小时约漏气16 kPa。约五小时后胎压比标准气压240 kPa低25%（FMVSS 138 "
        "报警值180 kPa），司机收到提醒后补胎充气，报警解除。",
    ),
    roles=(
        Role(
            "car",
            "tpms",
            Text(en="Ride-hailing car 沪A·D1234", zh="网约车 沪A·D1234"),
            "shanghai-fleet",
            31.23,
            121.47,
            settings={"placard_kpa": PLACARD_KPA},
        ),
    ),
    event_s=_NAIL,
    duration_s=_REPAIR + 20 * _MIN,
    effects=(
        Effect(
            "car",
            "tyre_pressure_rl",
            EffectOp.ADD,
            (
                (_NAIL, 0.0),
                (7 * _H, -95.0),
                (_REPAIR, -97.0),
                (_REPAIR + 10 * _MIN, 0.0),
            ),
        ),
    ),
    expected=(
        # At 180 kPa somewhere between +4.3 h and +6.6 h, depending on how warm the tyre runs.
        ExpectedAlert(
            TPMS_UNDER_INFLATION.id,
            "car",
            Severity.WARNING,
            UNDER_INFLATED.code,
            fires_by_s=6.75 * _H,
            peak_s=7.25 * _H,
            clears_by_s=_REPAIR + 10 * _MIN,
        ),
    ),
    demo_overrides={TPMS_UNDER_INFLATION.id: {"for_s": 10}},
)

# --- battery thermal runaway -------------------------------------------------------------------------

_SHORT = 1200.0  # an internal short starts heating one module
_RUNAWAY = 1800.0  # the cell vents and runaway begins
_ENDS = _RUNAWAY + 48.0  # close to the runaway, so its minute of samples is still current when judged

# Pack temperature (°C): slow heating, then > 1 °C/s for 12 s (GB 38031-2025 App. C (c)), passing
# the 60 °C maximum operating temperature (App. C (b)); the burnt pack stays hot.
_PACK_HEAT = (
    (_SHORT, 34.0),
    (_RUNAWAY, 47.0),
    (_RUNAWAY + 2, 50.0),
    (_RUNAWAY + 4, 54.0),
    (_RUNAWAY + 6, 59.0),
    (_RUNAWAY + 8, 65.0),
    (_RUNAWAY + 10, 71.0),
    (_RUNAWAY + 12, 77.0),
    (_RUNAWAY + 40, 86.0),
    (_ENDS, 88.0),
)
# The venting cell's voltage collapses, more than 25 % below where it started (App. C (a)).
_CELL_COLLAPSE = (
    (_RUNAWAY + 3, 3.68),
    (_RUNAWAY + 5, 3.3),
    (_RUNAWAY + 7, 2.5),
    (_RUNAWAY + 12, 1.6),
    (_ENDS, 1.2),
)
_FLAGS = (
    (_RUNAWAY + 4, float(encode_alarm_flags({"temperature_difference", "battery_high_temperature"}))),
    (
        _RUNAWAY + 7,
        float(
            encode_alarm_flags(
                {
                    "temperature_difference",
                    "battery_high_temperature",
                    "cell_under_voltage",
                    "cell_consistency_poor",
                }
            )
        ),
    ),
)

BATTERY_THERMAL_RUNAWAY = Scenario(
    id="battery_thermal_runaway",
    area=AREA_ID,
    title=Text(en="Battery thermal runaway", zh="动力电池热失控"),
    story=Text(
        en="An internal short heats one module of a parked EV bus for ten minutes; then a cell vents: "
        "its voltage collapses and the pack temperature climbs 30 °C in 12 s. The T-box raises a "
        "level-3 alarm and reports every second (GB/T 32960.3); sensegrid judges runaway under "
        "GB 38031-2025 App. C within seconds. The pack stays hot: the runaway alert clears once its "
        "minute of samples has passed, the temperature and level-3 alerts stay open for the fire "
        "service and the operator.",
        zh="一辆停放的电动公交车内部短路，一个模组持续发热十分钟；随后一只电芯喷发：电压骤降，电池温度12秒内"
        "上升30 °C。车载终端上报三级报警并改为每秒上报（GB/T 32960.3），sensegrid在数秒内按GB 38031-2025"
        "附录C判定热失控。电池持续高温：热失控告警在其一分钟采样窗口过后解除，高温和三级报警告警保持，"
        "等待消防和运营人员处置。",
    ),
    roles=(
        Role(
            "bus",
            "vehicle_tbox",
            Text(en="EV bus 皖A·12345D", zh="电动公交 皖A·12345D"),
            "hefei-depot-3",
            31.82,
            117.23,
        ),
    ),
    event_s=_SHORT,
    duration_s=_ENDS,
    effects=(
        Effect("bus", "pack_temperature", EffectOp.SET, _PACK_HEAT, blend_s=300.0, hold=True),
        Effect("bus", "cell_voltage_min", EffectOp.SET, _CELL_COLLAPSE, hold=True),
        Effect("bus", "gbt32960_alarm_level", EffectOp.SET, ((_RUNAWAY + 6, 3.0),), hold=True, steps=True),
        Effect("bus", "gbt32960_alarm_flags", EffectOp.SET, _FLAGS, hold=True, steps=True),
    ),
    cadences=(Cadence("bus", _RUNAWAY, 1.0),),
    expected=(
        ExpectedAlert(
            THERMAL_RUNAWAY_ALARM.id,
            "bus",
            Severity.CRITICAL,
            THERMAL_RUNAWAY.code,
            fires_by_s=_RUNAWAY + 10,
            peak_s=_RUNAWAY + 12,
            clears_by_s=_RUNAWAY + 80,
        ),
        ExpectedAlert(
            PACK_TEMPERATURE_HIGH.id,
            "bus",
            Severity.MAJOR,
            Severity.MAJOR.name.lower(),
            fires_by_s=_RUNAWAY + 45,
            peak_s=_ENDS,
            clears_by_s=None,
        ),
        ExpectedAlert(
            GBT32960_ALARM_LEVEL.id,
            "bus",
            Severity.CRITICAL,
            ALARM_LEVELS[3].code,
            fires_by_s=_RUNAWAY + 10,
            peak_s=_ENDS,
            clears_by_s=None,
        ),
    ),
    demo_overrides={PACK_TEMPERATURE_HIGH.id: {"for_s": 5}},
)

SCENARIOS: tuple[Scenario, ...] = (TYRE_SLOW_LEAK, BATTERY_THERMAL_RUNAWAY)
