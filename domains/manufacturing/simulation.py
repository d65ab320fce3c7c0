"""How factory devices behave for the simulator, and the bearing failure it can play.

Quiet machines run in ISO 10816-3 zone A (group 2, rigid: below 1.4 mm/s) and their charted
signals follow an in-control pattern around the chart's own centre line, so no run rule trips by
chance; workshop gas stays a small fraction of the GBZ 2.1-2019 limits (CO PC-TWA 20 mg/m³,
H2S MAC 10 mg/m³) and of the GB/T 50493-2019 first alarm (25 % LEL).
"""

from __future__ import annotations

from domains.manufacturing.rules import AREA_ID, VIBRATION_TREND, VIBRATION_ZONE
from domains.manufacturing.spc import BEYOND_LIMITS
from domains.manufacturing.vibration import ZONE_D
from domains.model import Severity, Text
from domains.simulation import (
    Cycle,
    DeviceProfile,
    Effect,
    EffectOp,
    ExpectedAlert,
    Follows,
    Outage,
    Role,
    Scenario,
    Signal,
)

PUMP_VIBRATION_MM_S = 0.9  # a healthy 75 kW pump on a rigid base: well inside zone A
PUMP_VIBRATION_SIGMA = 0.06
PART_DIAMETER_MM = 25.0
PART_SIGMA_MM = 0.004

PROFILES: tuple[DeviceProfile, ...] = (
    DeviceProfile(
        "vibration_sensor",
        60.0,
        (
            Signal(
                "vibration_velocity_rms",
                PUMP_VIBRATION_MM_S,
                jitter=PUMP_VIBRATION_SIGMA,
                charted=True,
                decimals=3,
            ),
            # Friction heats a rough bearing: about 6 °C per mm/s.
            Signal(
                "bearing_temperature",
                48.0,
                follows=Follows("vibration_velocity_rms", 6.0),
                diurnal=Cycle(2.0, 15.0),
                wander=0.5,
                jitter=0.05,
            ),
        ),
        settings={
            "spc_centre": PUMP_VIBRATION_MM_S,
            "spc_sigma": PUMP_VIBRATION_SIGMA,
            "machine_group": 2,
            "foundation": "rigid",
        },
    ),
    DeviceProfile(
        "motor_monitor",
        60.0,
        (
            Signal(
                "motor_current",
                85.0,
                diurnal=Cycle(10.0, 11.0),
                wander=3.0,
                jitter=0.8,
                bounds=(0.0, 10_000.0),
                decimals=1,
            ),  # day shift runs the line harder
            Signal("motor_temperature", 68.0, follows=Follows("motor_current", 0.35), wander=0.8, jitter=0.1),
            Signal("vibration_velocity_rms", 1.0, wander=0.04, jitter=0.03, bounds=(0.0, 100.0), decimals=3),
            Signal(
                "bearing_temperature",
                52.0,
                follows=Follows("vibration_velocity_rms", 6.0),
                wander=0.5,
                jitter=0.05,
            ),
        ),
        settings={"machine_group": 2, "foundation": "rigid"},
    ),
    DeviceProfile(
        "gas_detector",
        30.0,
        (
            Signal("co", 2.0, diurnal=Cycle(0.8, 11.0), wander=0.6, jitter=0.15, bounds=(0.0, 1500.0)),
            Signal("h2s", 0.2, wander=0.08, jitter=0.02, bounds=(0.0, 800.0), decimals=3),
            Signal("combustible_lel", 0.6, wander=0.3, jitter=0.1, bounds=(0.0, 100.0), decimals=1),
        ),
    ),
    DeviceProfile(
        "gauge",
        60.0,
        (Signal("part_diameter", PART_DIAMETER_MM, jitter=PART_SIGMA_MM, charted=True, decimals=4),),
        settings={"spc_centre": PART_DIAMETER_MM, "spc_sigma": PART_SIGMA_MM},
    ),
)

_H = 3600.0
_WEAR_FROM = 2 * _H
_SWAP = 11.5 * _H  # the maintenance crew stops the pump and replaces the bearing
_BACK = _SWAP + 600.0

# Vibration added to the healthy level (mm/s). Wear creeps up between the stages of damage and
# jumps at each (a spall opens, then spreads), so each zone boundary of ISO 10816-3 (group 2, rigid:
# B 1.4, C 2.8, D 4.5) is crossed within a minute, by more than the signal's noise.
_WEAR = (
    (_WEAR_FROM, 0.0),
    (6 * _H, 0.35),  # 1.25 mm/s: still zone A, but the Nelson rules have long seen the drift
    (6 * _H + 60, 0.75),  # stage 2: zone B
    (9 * _H, 1.6),
    (9 * _H + 60, 2.2),  # zone C
    (10.5 * _H, 3.3),
    (10.5 * _H + 60, 4.0),  # zone D
    (_SWAP, 4.4),
)

BEARING_DEGRADATION = Scenario(
    id="bearing_degradation",
    area=AREA_ID,
    title=Text(en="Bearing wearing out on a pump", zh="水泵轴承劣化"),
    story=Text(
        en="The drive-end bearing of cooling-water pump P-101 starts to wear. Its vibration drifts up "
        "from the chart's centre line (the Nelson rules see it within an hour, long before ISO 10816 "
        "does), then steps into zone B (1.4 mm/s), C (2.8) and D (4.5) as the damage spreads, over "
        "four and a half hours, while the bearing heats up. The crew stops the pump and replaces the "
        "bearing; ten minutes later it runs in zone A again and, once the chart has 30 in-control "
        "points, the trend alert clears too.",
        zh="冷却水泵P-101驱动端轴承开始磨损。振动值自控制图中心线缓慢上升（Nelson判异准则一小时内即可发现，"
        "远早于ISO 10816分区），随损伤扩展在四个半小时内依次跃入B区（1.4 mm/s）、C区（2.8）和D区（4.5），"
        "轴承温度随之升高。检修人员停泵更换轴承，十分钟后水泵重新在A区运行；控制图积累30个受控点后，趋势告警也随之解除。",
    ),
    roles=(
        Role(
            "pump",
            "vibration_sensor",
            Text(en="Cooling-water pump P-101, drive end", zh="冷却水泵P-101驱动端"),
            "suzhou-plant-2",
            31.30,
            120.62,
        ),
    ),
    event_s=_WEAR_FROM,
    duration_s=_BACK + 36 * 60.0,
    effects=(
        Effect(
            "pump",
            "vibration_velocity_rms",
            EffectOp.ADD,
            _WEAR,
        ),
    ),
    outages=(Outage("pump", _SWAP, _BACK),),
    expected=(
        # Zone B at 6 h, C at 9 h, D at 10.5 h (plus the rule's two minutes); zone A with the first
        # reading after the swap.
        ExpectedAlert(
            VIBRATION_ZONE.id,
            "pump",
            Severity.CRITICAL,
            ZONE_D.code,
            fires_by_s=6.25 * _H,
            peak_s=11.25 * _H,
            clears_by_s=_BACK + 180.0,
        ),
        # Nelson rules 5 and 1 trip as the drift passes about 1σ, then 1.3σ above the centre line;
        # the window is clean again 30 readings after the swap.
        ExpectedAlert(
            VIBRATION_TREND.id,
            "pump",
            Severity.MAJOR,
            BEYOND_LIMITS.code,
            fires_by_s=3.5 * _H,
            peak_s=11.25 * _H,
            clears_by_s=_BACK + 33 * 60.0,
        ),
    ),
    demo_overrides={VIBRATION_ZONE.id: {"for_s": 10}},
)

SCENARIOS: tuple[Scenario, ...] = (BEARING_DEGRADATION,)
