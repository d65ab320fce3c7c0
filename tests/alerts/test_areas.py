"""One scenario per area, end to end: readings published over MQTT, stored by ingest, judged by the
evaluator, and the alerts an operator would see."""

from __future__ import annotations

import time

from psycopg.types.json import Jsonb

from domains import registry
from domains.model import Severity
from store.device_registry import NewDevice, upsert_devices
from tests.alerts.conftest import AlertRig

FOG = "city.fog_signal"


def _transitions(rig: AlertRig, alert_id: int) -> list[tuple[str | None, str, int | None, int | None]]:
    return [(e.old_state, e.new_state, e.old_severity, e.new_severity) for e in rig.events(alert_id)]


def test_fog_orange_after_for_escalates_to_red_in_place_and_resolves_past_hysteresis(
    alert_rig: AlertRig,
) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 2}, tenant="t1")  # the rule's 60 s, shortened for the test
    rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 180})
    pending = rig.wait_alert(FOG, "fog-1", lambda a: a.state == "pending", what="pending")
    assert pending.severity == Severity.MAJOR

    orange = rig.wait_alert(FOG, "fog-1", lambda a: a.state == "firing", what="firing")
    assert orange.id == pending.id
    assert (orange.level, orange.severity) == ("orange", Severity.MAJOR)
    assert "visibility 180 m" in orange.message_en
    assert "60 km/h" in orange.message_en, orange.message_en
    assert "每小时60公里" in orange.message_zh, orange.message_zh
    assert orange.labels["title_zh"] == "大雾预警信号" and orange.labels["site"] == "G15-K102"

    rig.publish("fog-1", {"visibility": 40})
    red = rig.wait_alert(FOG, "fog-1", lambda a: a.level == "red", what="red")
    assert red.id == orange.id and red.state == "firing" and red.severity == Severity.CRITICAL
    assert "20 km/h" in red.message_en

    rig.publish("fog-1", {"visibility": 240})  # above 200 but within the 50 m hysteresis: still orange
    back = rig.wait_alert(FOG, "fog-1", lambda a: a.level == "orange", what="back to orange")
    assert back.id == orange.id and back.state == "firing"

    rig.publish("fog-1", {"visibility": 600})  # past 500 + 50: clear
    resolved = rig.wait_alert(FOG, "fog-1", lambda a: a.state == "resolved", what="resolved")
    assert resolved.id == orange.id
    assert _transitions(rig, orange.id) == [
        (None, "pending", None, Severity.MAJOR),
        ("pending", "firing", Severity.MAJOR, Severity.MAJOR),
        ("firing", "firing", Severity.MAJOR, Severity.CRITICAL),
        ("firing", "firing", Severity.CRITICAL, Severity.MAJOR),
        ("firing", "resolved", Severity.MAJOR, Severity.MAJOR),
    ]
    assert [e.actor for e in rig.events(orange.id)] == ["system"] * 5
    assert [e.value for e in rig.events(orange.id)][2:] == [40, 240, 600]
    assert len(rig.alerts(FOG, "fog-1")) == 1, "one condition, one alert"


def test_fog_alert_waits_for_its_for_duration(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 600}, tenant="t1")
    evaluator = rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 120})
    rig.wait_alert(FOG, "fog-1", lambda a: a.state == "pending", what="pending")
    rig.wait_judged(evaluator, passes=5)
    assert [a.state for a in rig.alerts(FOG, "fog-1")] == ["pending"]
    rig.publish("fog-1", {"visibility": 900})  # fog lifted before the 10 minutes: never fired
    rig.wait_alert(FOG, "fog-1", lambda a: a.state == "resolved", what="resolved")
    (alert,) = rig.alerts(FOG, "fog-1")
    assert alert.fired_at is None
    assert all(e.routed_at is not None for e in rig.events(alert.id)), "nobody is told of a pending alert"


def test_bad_quality_readings_are_left_out_of_rules(alert_rig: AlertRig) -> None:
    rig = alert_rig
    evaluator = rig.start_evaluator()
    now = round(time.time(), 3)
    # -5 m is outside visibility's plausible range: stored flagged bad, never judged (it would be red)
    rig.publish_many("fog-1", [(now - 1, {"visibility": 3000}), (now, {"visibility": -5})])
    rig.ingest.wait_count(2)
    rig.wait_judged(evaluator)
    assert rig.alerts(FOG, "fog-1") == []
    assert rig.ingest.readings("fog-1", "visibility")[-1] == (now, -5.0, 2)


def test_aqi_heavy_pollution_from_hourly_pm25_means(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "environment.aqi_cn_level"
    rig.override(rule, {"for_s": 0}, tenant="t1")  # the rule wants an hour of it; the data is hours old
    hour = 3600.0
    start = (time.time() // hour - 3) * hour
    # three clock hours of 10-minute PM2.5 values averaging 200 µg/m³ each hour (190/210 alternating)
    readings = [(start + k * 600, {"pm25": 190.0 if k % 2 else 210.0}) for k in range(18)]
    # a reading every 10 minutes samples the whole hour: 6 of them are 60 minutes (standards.md §1.4)
    every_10_min = '{"report_interval_s": 600}'
    rig.db.execute("UPDATE devices SET metadata = metadata || %s::jsonb WHERE id = 'aq-1'", (every_10_min,))
    rig.publish_many("aq-1", readings)
    rig.start_evaluator()
    alert = rig.wait_alert(rule, "aq-1")
    expected = registry.index("environment", "aqi_cn").compute({"pm25": 200.0})
    assert expected is not None and expected.level is not None
    assert alert.level == expected.level.code == "heavily_polluted"
    assert alert.severity == Severity.CRITICAL
    assert alert.value == expected.value == 250
    assert "AQI 250" in alert.message_en and "重度污染" in alert.message_zh
    rows = rig.db.execute("SELECT count(*) FROM readings_1h").fetchone()
    assert rows == (3,), "the hourly means came from the 1-hour rollup"


def test_silent_visibility_sensor_raises_alert_that_clears_when_it_reports(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "city.visibility_silent"
    rig.override(
        rule, {"rungs": [{"severity": "warning", "value": 2}]}, tenant="t1", scope="device", value="fog-1"
    )
    rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 5000})
    rig.ingest.wait_count(1)
    alert = rig.wait_alert(rule, "fog-1", what="after 2 s of silence")
    assert "no visibility sensor reading" in alert.message_en and "能见度仪" in alert.message_zh
    assert rig.alerts(rule, "fog-2") == [], "the override is for fog-1 only"
    rig.publish("fog-1", {"visibility": 5000})
    cleared = rig.wait_alert(rule, "fog-1", lambda a: a.state == "resolved", what="cleared")
    assert cleared.id == alert.id


def test_offline_status_raises_missing_data_alert_and_online_clears_it(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "city.visibility_silent"
    rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 5000})
    rig.ingest.wait_count(1)
    rig.publish_status("fog-1", "offline")  # what the broker sends as the device's last will
    alert = rig.wait_alert(rule, "fog-1", what="after the offline status")
    assert alert.severity == Severity.WARNING
    assert rig.events(alert.id)[0].note == "device reported offline"
    rig.publish_status("fog-1", "online")
    rig.wait_alert(rule, "fog-1", lambda a: a.state == "resolved", what="cleared")


def test_battery_thermal_runaway_sequence(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "automotive.thermal_runaway"
    evaluator = rig.start_evaluator()
    t0 = time.time() - 20
    # fast heating alone is not runaway: (a) or (b) must hold with (c)
    heating = [(t0 + k, {"pack_temperature": 30.0 + 2 * k, "cell_voltage_min": 3.70}) for k in range(6)]
    rig.publish_many("ev-1", heating)
    rig.ingest.wait_count(12)
    rig.wait_judged(evaluator)
    assert rig.alerts(rule, "ev-1") == []
    # then the cell voltage collapses (> 25 % below 3.70 V) while it keeps rising at 2 °C/s
    collapse = [(t0 + k, {"pack_temperature": 30.0 + 2 * k, "cell_voltage_min": 2.60}) for k in range(6, 10)]
    rig.publish_many("ev-1", collapse)
    alert = rig.wait_alert(rule, "ev-1")
    assert (alert.severity, alert.level) == (Severity.CRITICAL, "thermal_runaway")
    assert "thermal runaway" in alert.message_en and "119" in alert.message_zh
    assert rig.alerts("automotive.pack_temperature_high", "ev-1") == [], "48 °C is below its 55 °C rung"


def test_western_electric_run_then_point_beyond_limits_on_part_diameter(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "manufacturing.spc_out_of_control"
    rig.db.execute(
        "UPDATE devices SET metadata = %s WHERE id = 'gauge-1'",
        (Jsonb({"spc_centre": 10.0, "spc_sigma": 0.01}),),
    )
    evaluator = rig.start_evaluator()
    t0 = time.time() - 60
    in_control = [(t0 + k, {"part_diameter": 10.0 + (0.004 if k % 2 else -0.004)}) for k in range(12)]
    rig.publish_many("gauge-1", in_control)
    rig.ingest.wait_count(12)
    rig.wait_judged(evaluator)
    assert rig.alerts(rule, "gauge-1") == []
    shifted = [(t0 + 12 + k, {"part_diameter": 10.005}) for k in range(8)]  # 8 in a row above CL: WE 4
    rig.publish_many("gauge-1", shifted)
    run = rig.wait_alert(rule, "gauge-1")
    assert (run.severity, run.level) == (Severity.WARNING, "run_pattern")
    rig.publish("gauge-1", {"part_diameter": 10.05}, ts=t0 + 30)  # 5σ out: WE 1
    beyond = rig.wait_alert(rule, "gauge-1", lambda a: a.severity == Severity.MAJOR, what="beyond 3σ")
    assert beyond.id == run.id and beyond.level == "beyond_limits"


def test_nelson_trend_rule_trips_when_the_device_asks_for_nelson(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "manufacturing.spc_out_of_control"
    rig.db.execute(
        "UPDATE devices SET metadata = %s WHERE id = 'gauge-1'",
        (Jsonb({"spc_centre": 10.0, "spc_sigma": 0.01, "spc_rule_set": "nelson"}),),
    )
    rig.start_evaluator()
    t0 = time.time() - 60
    rising = [(t0 + k, {"part_diameter": 9.995 + 0.002 * k}) for k in range(6)]  # 6 rising: Nelson 3
    rig.publish_many("gauge-1", rising)
    alert = rig.wait_alert(rule, "gauge-1")
    assert alert.level == "run_pattern"


def test_nelson_rule_trips_on_a_machines_vibration_trend(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rule = "manufacturing.vibration_trend"
    upsert_devices(
        rig.db, [NewDevice("vib-1", "manufacturing", "vibration_sensor", tenant="t3", site="pump-3")]
    )
    rig.db.execute(
        "UPDATE devices SET metadata = %s WHERE id = 'vib-1'",
        (Jsonb({"spc_centre": 1.2, "spc_sigma": 0.05}),),
    )
    evaluator = rig.start_evaluator()
    t0 = time.time() - 120
    steady = [(t0 + k, {"vibration_velocity_rms": 1.2 + (0.02 if k % 2 else -0.02)}) for k in range(10)]
    rig.publish_many("vib-1", steady)
    rig.ingest.wait_count(10)
    rig.wait_judged(evaluator)
    assert rig.alerts(rule, "vib-1") == []
    # a bearing starting to go: 6 rising points in a row, all inside ±3σ (Nelson rule 3)
    rising = [(t0 + 10 + k, {"vibration_velocity_rms": 1.16 + 0.015 * k}) for k in range(6)]
    rig.publish_many("vib-1", rising)
    alert = rig.wait_alert(rule, "vib-1")
    assert (alert.severity, alert.level) == (Severity.WARNING, "run_pattern")
    assert "Nelson" in alert.message_en and "Nelson" in alert.message_zh
