"""Rules as each device gets them: overrides (most specific wins), device-kind scopes, the windows
each rule reads, and the pending → firing steps — plus an override switching a rule off for real."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from alerts.lifecycle import AlertState, Target, fingerprint, target
from alerts.observe import applies, observe
from alerts.overrides import Overrides, parse_override
from alerts.windows import Readings, hourly_value
from domains import registry
from domains.model import Severity, Window
from domains.rule_kinds import reads_for
from domains.rule_kinds.base import WindowRead
from store.alert_rows import AlertRow
from store.device_state import DeviceState
from store.rule_overrides import OverrideRow
from store.windows import HourBucket
from tests.alerts.conftest import OPEN, AlertRig

FOG = registry.rule("city.fog_signal")
T0 = datetime(2026, 11, 27, 8, tzinfo=UTC)


def _row(scope: str, value: str, doc: object, row_id: int) -> OverrideRow:
    return OverrideRow(row_id, "t1", FOG.id, scope, value, doc, "ops", T0)


def test_most_specific_override_wins_for_each_setting() -> None:
    overrides = Overrides(
        [
            _row("tenant", "", {"for_s": 30, "clear_hysteresis": 20}, 1),
            _row("site", "G15-K102", {"rungs": [{"severity": "major", "value": 300}]}, 2),
            _row("device", "fog-1", {"for_s": 5}, 3),
        ]
    )
    rule = overrides.effective(FOG, "t1", "G15-K102", "fog-1")
    assert rule is not None
    assert (rule.for_s, rule.clear_hysteresis) == (5, 20)
    assert [(t.severity, t.value) for t in rule.thresholds] == [(Severity.MAJOR, 300)]
    assert rule.thresholds[0].level is not None and rule.thresholds[0].level.code == "orange", (
        "keeps the level"
    )
    elsewhere = overrides.effective(FOG, "t1", "G15-K200", "fog-9")
    assert elsewhere is not None and elsewhere.for_s == 30 and elsewhere.thresholds == FOG.thresholds
    assert overrides.effective(FOG, "t2", "G15-K102", "fog-1") is FOG, "other tenants keep the defaults"


def test_override_switching_a_rule_off_for_one_device() -> None:
    overrides = Overrides([_row("device", "fog-1", {"enabled": False}, 1)])
    assert overrides.effective(FOG, "t1", "", "fog-1") is None
    assert overrides.effective(FOG, "t1", "", "fog-2") is not None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"for": 5}, "unknown override keys for; accepted: rungs, for_s, clear_hysteresis, enabled"),
        ({"for_s": -1}, "whole number of seconds"),
        ({"rungs": [{"severity": "severe", "value": 1}]}, "severity must be one of info (1), warning (2)"),
        ({"rungs": [{"severity": "major", "value": "low"}]}, "value must be a finite number"),
        (
            {"rungs": [{"severity": "major", "value": 100, "level": "purple"}]},
            "its levels: orange, red, yellow",
        ),
        ({"rungs": []}, "non-empty list"),
        ({"enabled": "no"}, "true or false"),
        ("strict", "an override is a JSON object"),
    ],
)
def test_bad_override_documents_say_what_is_accepted(doc: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_override(FOG, doc)


def test_missing_data_override_rung_is_the_silence_in_seconds() -> None:
    rule = registry.rule("city.visibility_silent")
    with pytest.raises(ValueError, match="one rung"):
        parse_override(rule, [{"severity": "warning", "value": 60}, {"severity": "major", "value": 600}])
    overrides = Overrides(
        [OverrideRow(1, "t1", rule.id, "tenant", "", [{"severity": "major", "value": 60}], "ops", T0)]
    )
    changed = overrides.effective(rule, "t1", "", "fog-1")
    assert changed is not None and changed.params["silence_s"] == 60
    assert overrides.shortest_silence_s([rule]) == 60


def _device(kind: str, area: str, metrics: tuple[str, ...]) -> DeviceState:
    return DeviceState(
        "d", "t1", area, kind, "", "", True, {}, 0.0, None, None, {m: i for i, m in enumerate(metrics)}
    )


def test_rules_scoped_to_device_kinds_watch_only_those_devices() -> None:
    area = registry.area("agriculture")
    heat = registry.rule("agriculture.heat_stress")
    assert applies(
        heat, _device("barn_sensor", "agriculture", ("air_temperature", "relative_humidity")), area
    )
    field_station = _device("field_station", "agriculture", ("air_temperature", "relative_humidity"))
    assert not applies(heat, field_station, area)


def test_missing_data_rules_watch_devices_that_never_reported_if_their_kind_should() -> None:
    area = registry.area("city")
    silent = registry.rule("city.visibility_silent")
    assert applies(silent, _device("visibility_sensor", "city", ()), area)
    assert not applies(silent, _device("tunnel_gas_detector", "city", ()), area)


def test_offline_status_is_silence_unless_the_rule_says_going_offline_is_normal() -> None:
    now = T0.timestamp()
    rule = registry.rule("city.visibility_silent")
    device = replace(_device("visibility_sensor", "city", ("visibility",)), last_seen=now - 5, online=False)
    nothing = Readings(now, 100, {}, {}, {})
    assert observe(rule, device, nothing, now, None).decision.severity == Severity.WARNING
    parked = replace(rule, params={**rule.params, "offline_is_silence": 0})
    assert observe(parked, device, nothing, now, None).decision.severity is None
    assert observe(rule, replace(device, online=True), nothing, now, None).decision.severity is None


def test_rules_read_index_inputs_over_their_windows() -> None:
    env = registry.area("environment")
    aqi = reads_for(registry.rule("environment.aqi_cn_level"), env)
    assert WindowRead("pm25", Window.HOURLY_MEANS) in aqi
    assert WindowRead("pm25", Window.HOURLY_MINUTES) in aqi  # the sampling behind each hour (§1.4)
    assert WindowRead("pm25", Window.HOURLY_MINUTES).key == "pm25:minutes"
    spc = reads_for(registry.rule("manufacturing.spc_out_of_control"), registry.area("manufacturing"))
    assert spc == (WindowRead("part_diameter", Window.SERIES, points=30),)
    runaway = reads_for(registry.rule("automotive.thermal_runaway"), registry.area("automotive"))
    assert {r.span_s for r in runaway} == {60}
    assert reads_for(FOG, registry.area("city")) == (WindowRead("visibility", Window.LATEST),)


def test_hourly_windows_are_means_of_clock_hours_ending_now() -> None:
    hour = 3600.0
    now = 1_000 * hour + 600  # ten minutes into an hour
    buckets = [HourBucket((1_000 - k) * hour, 2, 2 * (100 + k), 90 + k, 110 + k) for k in range(30)]
    assert hourly_value(Window.AVG_1H, buckets, now) == 100  # the current hour
    assert hourly_value(Window.AVG_1H, buckets[1:], now) == 101  # no data yet this hour: the previous
    assert hourly_value(Window.AVG_1H, buckets[2:], now) is None  # nothing for two hours: no value
    assert hourly_value(Window.MOVING_AVG_8H, buckets, now) == sum(100 + k for k in range(8)) / 8
    assert hourly_value(Window.AVG_24H, buckets, now) == sum(100 + k for k in range(24)) / 24
    assert hourly_value(Window.MAX_24H, buckets, now) == 110 + 23
    assert hourly_value(Window.MIN_24H, buckets, now) == 90
    readings = Readings(now, 100, {7: (now - 5, 42.0)}, {}, {}, {7: [(999 * hour, 45), (1_000 * hour, 10)]})
    assert readings.value(WindowRead("x", Window.LATEST), 7) == 42.0
    assert readings.value(WindowRead("x", Window.LATEST), 8) is None
    minutes = readings.value(WindowRead("x", Window.HOURLY_MINUTES), 7)
    assert isinstance(minutes, tuple) and len(minutes) == 24  # every clock hour, the current one last
    assert minutes[-2:] == ((999 * hour, 45.0), (1_000 * hour, 10.0)) and minutes[0] == (977 * hour, 0.0)
    assert readings.value(WindowRead("x", Window.HOURLY_MINUTES), 8) is None


def _alert(state: str, severity: Severity, started: datetime) -> AlertRow:
    return AlertRow(
        1, fingerprint("t1", FOG.id, "fog-1"), FOG.id, "city", "t1", "fog-1", "", state, severity, None, None,
        {}, "", "", started, None, None, None, None, started,
    )  # fmt: skip


def test_pending_fires_after_for_and_acknowledged_follows_severity() -> None:
    t = T0.timestamp()
    assert target(None, Severity.MAJOR, 60, t) == Target(AlertState.PENDING, Severity.MAJOR)
    assert target(None, Severity.MAJOR, 0, t) == Target(AlertState.FIRING, Severity.MAJOR)
    pending = _alert("pending", Severity.MAJOR, T0)
    assert target(pending, Severity.CRITICAL, 60, t + 59) == Target(AlertState.PENDING, Severity.CRITICAL)
    assert target(pending, Severity.CRITICAL, 60, t + 60) == Target(AlertState.FIRING, Severity.CRITICAL)
    assert target(pending, None, 60, t + 30) == Target(AlertState.RESOLVED, None)
    acked = _alert("acknowledged", Severity.MAJOR, T0 - timedelta(hours=1))
    assert target(acked, Severity.WARNING, 60, t) == Target(AlertState.ACKNOWLEDGED, Severity.WARNING)
    assert target(acked, None, 60, t) == Target(AlertState.RESOLVED, None)


def test_fingerprint_is_stable_and_tells_conditions_apart() -> None:
    assert fingerprint("t1", FOG.id, "fog-1") == fingerprint("t1", FOG.id, "fog-1")
    assert len({fingerprint(t, r, d) for t in ("t1", "t2") for r in ("a", "b") for d in ("x", "y")}) == 8


def _fog_alert_firing(rig: AlertRig) -> AlertRow:
    rig.override(FOG.id, {"for_s": 0}, tenant="t1")
    rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 150})
    return rig.wait_alert(FOG.id, "fog-1")


def test_switching_a_rule_off_resolves_its_open_alert(alert_rig: AlertRig) -> None:
    rig = alert_rig
    alert = _fog_alert_firing(rig)
    rig.override(FOG.id, {"enabled": False}, tenant="t1", scope="device", value="fog-1")
    rig.publish("fog-1", {"visibility": 140})
    rig.wait_alert(FOG.id, "fog-1", lambda a: a.state == "resolved", what="resolved")
    assert rig.events(alert.id)[-1].note == "rule no longer applies to the device"
    assert rig.alerts(FOG.id, "fog-1", states=OPEN) == []


def test_deactivated_device_has_its_alerts_resolved_on_the_next_tick(alert_rig: AlertRig) -> None:
    rig = alert_rig
    alert = _fog_alert_firing(rig)
    rig.db.execute("UPDATE devices SET active = false WHERE id = 'fog-1'")
    rig.wait_alert(FOG.id, "fog-1", lambda a: a.state == "resolved", what="resolved")
    assert rig.events(alert.id)[-1].note == "rule no longer applies to the device"


def test_an_aqi_alert_says_which_periods_were_not_valid() -> None:
    """PM2.5 heavily polluted over a full hour; PM10 only 30 minutes of it: not indexed, and said."""
    hour = 3600.0
    now = 1_000 * hour + 600  # ten minutes into an hour: the previous, complete hour is published
    device = _device("aq_station", "environment", ("pm25", "pm10"))  # series ids 0 and 1
    readings = Readings(
        now,
        100,
        {},
        {
            0: [HourBucket(999 * hour, 60, 60 * 200.0, 190.0, 210.0)],
            1: [HourBucket(999 * hour, 30, 30 * 900.0, 0, 0)],
        },
        {},
        {0: [(999 * hour, 60)], 1: [(999 * hour, 30)]},
    )
    seen = observe(registry.rule("environment.aqi_cn_level"), device, readings, now, None)
    assert seen.decision.severity is Severity.CRITICAL and seen.value == 250  # PM2.5 200 µg/m³ alone
    assert seen.message is not None
    assert "Not indexed (data validity): PM10 1 h: 30 of 45 required minutes." in seen.message.en
    assert "未计入（数据有效性）：PM10 1小时：有效分钟 30，需 45。" in seen.message.zh
