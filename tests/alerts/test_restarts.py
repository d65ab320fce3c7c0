"""Evaluators die, restart and share the devices: never a duplicate alert or event, nothing lost."""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from domains.model import Severity
from store.device_registry import NewDevice, upsert_devices
from store.device_state import devices_in_shards
from store.shards import device_shard
from tests.alerts.conftest import OPEN, AlertRig, EvaluatorProcess

FOG = "city.fog_signal"


def _per_alert_events(rig: AlertRig) -> dict[int, list[tuple[str | None, str]]]:
    rows = rig.db.execute(
        "SELECT e.alert_id, e.old_state, e.new_state FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
        "WHERE a.rule_id = %s ORDER BY e.id",
        (FOG,),
    ).fetchall()
    out: dict[int, list[tuple[str | None, str]]] = {}
    for alert_id, old, new in rows:
        out.setdefault(alert_id, []).append((old, new))
    return out


def _kill_while_busy(rig: AlertRig, proc: EvaluatorProcess, done: str, total: int) -> int:
    """SIGKILL the evaluator as soon as it has started on the work (`done` counts what is finished)."""
    deadline = time.monotonic() + 30
    count = 0
    while time.monotonic() < deadline:
        row = rig.db.execute(done).fetchone()
        count = int(row[0]) if row else 0
        if count > 0:
            break
        time.sleep(0.005)
    proc.kill()
    return count


def test_evaluator_killed_with_sigkill_mid_run_leaves_no_duplicate_alerts_or_events(
    alert_rig: AlertRig, tmp_path: Path
) -> None:
    rig = alert_rig
    n = 150
    names = [f"kfog-{i:03d}" for i in range(n)]
    upsert_devices(rig.db, [NewDevice(d, "city", "visibility_sensor", tenant="t1", site="G4") for d in names])
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    log = tmp_path / "evaluator.log"

    first = EvaluatorProcess(rig.settings, log)
    first.wait_ready()
    for d in names:
        rig.ingest.publisher.publish(
            rig.ingest.topic(d), orjson.dumps({"ts": time.time(), "metrics": {"visibility": 150}}), wait=False
        )
    firing = "SELECT count(*) FROM alerts WHERE state = 'firing'"
    killed_at = _kill_while_busy(rig, first, firing, n)

    second = EvaluatorProcess(rig.settings, log)
    second.wait_ready()
    rig.wait_until(lambda: rig.ingest.count(firing) == n, what=f"{n} firing alerts (killed at {killed_at})")

    for d in names:
        rig.ingest.publisher.publish(
            rig.ingest.topic(d),
            orjson.dumps({"ts": time.time(), "metrics": {"visibility": 3000}}),
            wait=False,
        )
    resolved = "SELECT count(*) FROM alerts WHERE state = 'resolved'"
    killed_again_at = _kill_while_busy(rig, second, resolved, n)

    third = EvaluatorProcess(rig.settings, log)
    third.wait_ready()
    rig.wait_until(
        lambda: rig.ingest.count(resolved) == n, what=f"{n} resolved (killed at {killed_again_at})"
    )
    third.kill()

    alerts = rig.alerts(FOG)
    assert len(alerts) == n and len({a.device_id for a in alerts}) == n, "one alert per device"
    events = _per_alert_events(rig)
    assert all(seq == [(None, "firing"), ("firing", "resolved")] for seq in events.values()), events
    assert len(events) == n


def test_pending_alert_keeps_its_for_timing_across_a_restart(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 3}, tenant="t1")
    first = rig.start_evaluator()
    rig.publish("fog-1", {"visibility": 150})
    pending = rig.wait_alert(FOG, "fog-1", lambda a: a.state == "pending", what="pending")
    rig.stop_evaluator(first)
    time.sleep(1)
    rig.start_evaluator()
    fired = rig.wait_alert(FOG, "fog-1", what="firing after the restart")
    assert fired.id == pending.id and fired.started_at == pending.started_at
    assert fired.fired_at is not None and (fired.fired_at - fired.started_at).total_seconds() >= 3
    assert [(e.old_state, e.new_state) for e in rig.events(fired.id)] == [
        (None, "pending"),
        ("pending", "firing"),
    ]


def test_evaluators_share_the_shards_and_one_takes_over_when_the_other_stops(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    a = rig.start_evaluator()
    assert a.held == {0, 1, 2, 3}
    b = rig.start_evaluator()
    rig.wait_until(lambda: len(a.held) == 2 and len(b.held) == 2, what="an even split")
    assert a.held.isdisjoint(b.held)

    rig.stop_evaluator(a)
    rig.wait_until(lambda: b.held == {0, 1, 2, 3}, what="the survivor holding every shard")
    rig.publish("fog-1", {"visibility": 100})
    rig.publish("fog-2", {"visibility": 30})
    assert rig.wait_alert(FOG, "fog-1").severity == Severity.MAJOR
    assert rig.wait_alert(FOG, "fog-2").severity == Severity.CRITICAL
    assert len(rig.alerts(FOG, states=OPEN)) == 2


def test_an_evaluator_given_one_shard_judges_only_its_devices(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    shard = device_shard("fog-1", 4)
    other = next(d for d in (f"fog-x{i}" for i in range(50)) if device_shard(d, 4) != shard)
    upsert_devices(rig.db, [NewDevice(other, "city", "visibility_sensor", tenant="t1")])
    evaluator = rig.start_evaluator(shard_index=shard)
    assert evaluator.held == {shard}
    rig.publish(other, {"visibility": 100})
    rig.publish("fog-1", {"visibility": 100})
    rig.wait_alert(FOG, "fog-1")
    rig.wait_judged(evaluator)
    assert rig.alerts(FOG, other) == [], "not this evaluator's shard"


def test_device_shards_agree_between_python_and_sql(alert_rig: AlertRig) -> None:
    names = [f"dev-{i}-é" for i in range(40)]
    upsert_devices(alert_rig.db, [NewDevice(d, "city", "visibility_sensor") for d in names])
    for shards in (1, 3, 16):
        for d in names:
            found = devices_in_shards(alert_rig.db, shards, [device_shard(d, shards)], ids=[d])
            assert [x.id for x in found] == [d]


def test_readings_stored_while_no_evaluator_ran_are_judged_when_one_starts(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    rig.publish("fog-1", {"visibility": 45})
    rig.ingest.wait_count(1)
    rig.start_evaluator()
    assert rig.wait_alert(FOG, "fog-1").level == "red"


def test_shards_of_an_evaluator_killed_with_sigkill_are_taken_over(
    alert_rig: AlertRig, tmp_path: Path
) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    doomed = EvaluatorProcess(rig.settings, tmp_path / "evaluator.log")
    doomed.wait_ready()
    survivor = rig.start_evaluator()
    rig.wait_until(lambda: len(survivor.held) == 2, what="half the shards for the second evaluator")
    doomed.kill()
    rig.wait_until(lambda: survivor.held == {0, 1, 2, 3}, what="the survivor taking the dead one's shards")
    rig.publish("fog-1", {"visibility": 150})
    rig.publish("fog-2", {"visibility": 150})
    rig.wait_alert(FOG, "fog-1")
    rig.wait_alert(FOG, "fog-2")
