"""What people do to alerts: acknowledge, resolve, silence — through the lifecycle API and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from alerts.lifecycle import AlertStateError, acknowledge, resolve
from alerts.silences import create_silence, expire_silence
from domains.model import Severity
from tests.alerts.conftest import OPEN, AlertRig

FOG = "city.fog_signal"


def _fog_firing(rig: AlertRig, device: str = "fog-1", visibility: float = 180) -> int:
    rig.publish(device, {"visibility": visibility})
    return rig.wait_alert(FOG, device).id


def test_acknowledged_alert_follows_severity_and_resolves_when_the_fog_lifts(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    rig.start_evaluator()
    alert_id = _fog_firing(rig)
    acked = acknowledge(rig.db, alert_id, "alice")
    assert (acked.state, acked.acknowledged_by) == ("acknowledged", "alice")
    assert acked.acknowledged_at is not None

    rig.publish("fog-1", {"visibility": 30})
    red = rig.wait_alert(FOG, "fog-1", lambda a: a.severity == Severity.CRITICAL, what="red")
    assert (red.id, red.state, red.level) == (alert_id, "acknowledged", "red")

    rig.publish("fog-1", {"visibility": 2000})
    rig.wait_alert(FOG, "fog-1", lambda a: a.state == "resolved", what="resolved")
    events = rig.events(alert_id)
    assert [(e.actor, e.old_state, e.new_state) for e in events] == [
        ("system", None, "firing"),
        ("alice", "firing", "acknowledged"),
        ("system", "acknowledged", "acknowledged"),
        ("system", "acknowledged", "resolved"),
    ]
    assert all(e.routed_at is None for e in events), "every change is for the notifier"


def test_acting_twice_changes_nothing_and_impossible_actions_say_why(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1", scope="device", value="fog-1")
    rig.start_evaluator()
    alert_id = _fog_firing(rig)
    acknowledge(rig.db, alert_id, "alice")
    again = acknowledge(rig.db, alert_id, "bob")
    assert again.acknowledged_by == "alice"
    resolve(rig.db, alert_id, "bob")
    resolve(rig.db, alert_id, "carol")
    assert [e.actor for e in rig.events(alert_id)] == ["system", "alice", "bob"]
    with pytest.raises(AlertStateError, match="resolved already"):
        acknowledge(rig.db, alert_id, "dave")
    with pytest.raises(LookupError, match="no alert 999999"):
        acknowledge(rig.db, 999_999, "dave")
    with pytest.raises(ValueError, match="say who"):
        resolve(rig.db, alert_id, " ")

    rig.publish("fog-2", {"visibility": 120})  # fog-2 keeps the rule's 60 s: pending
    pending = rig.wait_alert(FOG, "fog-2", lambda a: a.state == "pending", what="pending")
    with pytest.raises(AlertStateError, match="pending"):
        acknowledge(rig.db, pending.id, "alice")


def test_resolving_by_hand_while_the_fog_persists_opens_a_new_alert(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    rig.start_evaluator()
    first = _fog_firing(rig)
    resolved = resolve(rig.db, first, "bob")
    assert resolved.state == "resolved" and resolved.resolved_at is not None
    assert rig.events(first)[-1].actor == "bob"
    rig.publish("fog-1", {"visibility": 170})
    again = rig.wait_alert(FOG, "fog-1", lambda a: a.id != first and a.state == "firing", what="new alert")
    assert [a.id for a in rig.alerts(FOG, "fog-1", states=OPEN)] == [again.id]


def test_silence_mutes_matching_alerts_and_they_are_announced_when_it_ends(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    silence = create_silence(
        rig.db,
        tenant="t1",
        matchers={"site": "G15-K102", "rule_id": FOG},
        ends_at=datetime.now(UTC) + timedelta(hours=1),
        created_by="ops",
        comment="sensor maintenance",
    )
    rig.start_evaluator()
    muted = _fog_firing(rig, "fog-1")
    loud = _fog_firing(rig, "fog-2")
    (event,) = rig.events(muted)
    assert event.routed_at is not None and event.note == "silenced"
    assert rig.events(loud)[0].routed_at is None, "another site is not covered"

    rig.publish("fog-1", {"visibility": 40})  # escalations stay muted too
    rig.wait_alert(FOG, "fog-1", lambda a: a.level == "red", what="red")
    assert all(e.routed_at is not None and e.note == "silenced" for e in rig.events(muted))

    expire_silence(rig.db, silence.id)
    rig.wait_until(lambda: len(rig.events(muted)) == 3, what="announcement after the silence")
    announced = rig.events(muted)[-1]
    assert (announced.new_state, announced.new_severity, announced.note) == (
        "firing",
        Severity.CRITICAL,
        "silence ended",
    )
    assert announced.routed_at is None


def test_resolution_of_a_notified_alert_is_notified_even_under_a_silence(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    rig.start_evaluator()
    alert_id = _fog_firing(rig)
    create_silence(
        rig.db,
        tenant="t1",
        matchers={"area": "city"},
        ends_at=datetime.now(UTC) + timedelta(hours=1),
        created_by="ops",
    )
    rig.publish("fog-1", {"visibility": 5000})
    rig.wait_alert(FOG, "fog-1", lambda a: a.state == "resolved", what="resolved")
    assert rig.events(alert_id)[-1].routed_at is None, "a sign showing fog must learn it is over"


def test_silences_refuse_what_they_cannot_mean(alert_rig: AlertRig) -> None:
    soon = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(ValueError, match="accepted: device_id, site, rule_id, area"):
        create_silence(alert_rig.db, tenant="t1", matchers={"room": "1"}, ends_at=soon, created_by="ops")
    with pytest.raises(ValueError, match="needs matchers"):
        create_silence(alert_rig.db, tenant="t1", matchers={}, ends_at=soon, created_by="ops")
    with pytest.raises(ValueError, match="end after it starts"):
        create_silence(
            alert_rig.db,
            tenant="t1",
            matchers={"area": "city"},
            ends_at=soon,
            starts_at=soon,
            created_by="ops",
        )
    with pytest.raises(LookupError, match="no silence 424242"):
        expire_silence(alert_rig.db, 424242)


def _cli(rig: AlertRig, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    env.update(SENSEGRID_DATABASE_URL=rig.settings.database_url, COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "sensegrid.cli", "alerts", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_operator_lists_acknowledges_and_silences_from_the_command_line(alert_rig: AlertRig) -> None:
    rig = alert_rig
    rig.override(FOG, {"for_s": 0}, tenant="t1")
    rig.start_evaluator()
    alert_id = _fog_firing(rig)

    listed = _cli(rig, "list", "--lang", "zh")
    assert listed.returncode == 0, listed.stderr
    assert FOG in listed.stdout and "大雾橙色预警信号" in listed.stdout

    acked = _cli(rig, "ack", str(alert_id), "--by", "night-shift")
    assert acked.returncode == 0, acked.stderr
    assert rig.alerts(FOG, "fog-1")[0].acknowledged_by == "night-shift"
    refused = _cli(rig, "ack", "999999", "--by", "night-shift")
    assert refused.returncode == 1 and "no alert 999999" in refused.stderr

    added = _cli(rig, "silence", "add", "--tenant", "t1", "--site", "G15-K110", "--for", "2h", "--by", "ops")
    assert added.returncode == 0, added.stderr
    listing = _cli(rig, "silence", "list")
    assert "G15-K110" in listing.stdout
    silence_id = added.stdout.split()[1]
    assert _cli(rig, "silence", "remove", silence_id).returncode == 0
    assert "G15-K110" not in _cli(rig, "silence", "list").stdout

    resolved = _cli(rig, "resolve", str(alert_id), "--by", "night-shift")
    assert resolved.returncode == 0, resolved.stderr
    shown = _cli(rig, "show", str(alert_id))
    assert "night-shift" in shown.stdout and "resolved" in shown.stdout

    rules = _cli(rig, "rules", "--area", "city")
    assert (
        "city.fog_signal" in rules.stdout
        and "大雾预警信号" in rules.stdout
        and "中国气象局令第16号" in rules.stdout
    )
