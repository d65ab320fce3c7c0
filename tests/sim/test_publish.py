"""What the simulator publishes over the real broker is what ingest stores: every reading, once, at
the device's timestamp, the faulty ones flagged bad rather than rejected, nothing lost."""

from __future__ import annotations

import re
import threading
import time

import psycopg

from domains import registry
from domains.model import Quality
from sensegrid.sim_fleet import register_fleet
from sim.engine import Simulator
from sim.fleet import all_kinds, demo_fleet
from sim.publish import MqttSender, Publisher, publish_range
from sim.signals import FaultRates
from tests.alerts.conftest import AlertRig
from tests.cli import run_cli
from tests.sim.conftest import TENANT

FAULTY = FaultRates(spike=0.01, flatline_per_day=0.5, dropout=0.02, skew_share=0.3, max_skew_s=60)


def _stored(db: psycopg.Connection) -> dict[tuple[str, str, float], tuple[float, int]]:
    rows = db.execute(
        "SELECT s.device_id, s.metric, extract(epoch FROM r.time)::float8, r.value, r.quality "
        "FROM readings r JOIN series s ON s.id = r.series_id"
    ).fetchall()
    return {(d, m, round(t, 3)): (v, q) for d, m, t, v, q in rows}


def _rejected(db: psycopg.Connection) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute("SELECT reason, detail FROM rejected_messages").fetchall()]


def test_published_history_with_sensor_faults_is_stored_reading_for_reading(
    alert_rig: AlertRig, sender: MqttSender
) -> None:
    fleet = demo_fleet(len(all_kinds()), seed=4, tenant=TENANT)
    register_fleet(alert_rig.db, fleet)
    sim = Simulator(fleet, seed=4, faults=FAULTY)
    end = time.time()
    start = end - 3600
    publish_range(sender, sim, start, end, batch_size=50)
    assert sender.wait_acked(30)
    stats = sender.stats.snapshot()
    assert stats.errors == 0 and stats.acked == stats.messages
    assert set(stats.per_area) == {area for area, _ in all_kinds()}
    alert_rig.ingest.wait_count(stats.readings)

    published = {
        (r.device.id, m, r.epoch_s): v for r in sim.readings(start, end) for m, v in r.values.items()
    }
    stored = _stored(alert_rig.db)
    assert len(published) == stats.readings == len(stored)
    assert {k: v for k, (v, _) in stored.items()} == published
    area_of = {d.id: d.area for d in fleet}
    bad = {k for k, (_, q) in stored.items() if q == Quality.BAD}
    assert bad, "an hour of a fleet with 1 % spikes has some"
    assert all(published[k] > registry.metric(area_of[k[0]], k[1]).plausible[1] for k in bad), "spikes only"
    assert _rejected(alert_rig.db) == [], "faulty readings are flagged, never rejected"


def test_live_publisher_replays_the_last_minutes_faster_then_runs_in_real_time(alert_rig: AlertRig) -> None:
    fleet = demo_fleet(len(all_kinds()), seed=8, tenant=TENANT)
    register_fleet(alert_rig.db, fleet)
    sim = Simulator(fleet, seed=8, faults=FaultRates(skew_share=0.3, max_skew_s=60))
    began = time.time()
    publisher = Publisher(
        alert_rig.settings, sim, start=began - 600, speedup=120, batch_size=5, duration_s=8, tick_s=0.2
    )
    thread = threading.Thread(target=publisher.run)
    thread.start()
    thread.join(timeout=60)
    finished = time.time()
    stats = publisher.stats.snapshot()
    assert stats.sim_time is not None and finished - 2 <= stats.sim_time <= finished, "caught up with now"
    assert stats.errors == 0 and stats.acked == stats.messages + stats.statuses
    assert stats.statuses == len(fleet) and stats.messages > 0
    alert_rig.ingest.wait_count(stats.readings)
    published = {
        (r.device.id, m, r.epoch_s) for r in sim.readings(began - 600, stats.sim_time) for m in r.values
    }
    assert set(_stored(alert_rig.db)) == published, "ten minutes of history and the live seconds after"
    assert _rejected(alert_rig.db) == [], "a clock a minute fast is within ingest's 5 minutes"
    online = alert_rig.db.execute("SELECT count(*) FROM devices WHERE online").fetchone()
    assert online == (len(fleet),), "each device announced itself online"


def test_simulate_command_registers_its_fleet_and_replays_history_until_its_duration(
    alert_rig: AlertRig,
) -> None:
    settings = alert_rig.settings
    done = run_cli(
        "simulate",
        "--devices",
        str(len(all_kinds())),
        "--duration",
        "3",
        "--register",
        "--tenant",
        TENANT,
        "--scenario",
        "fog_bank",
        "--no-faults",
        "--history",
        "0.1",
        "--speedup",
        "300",
        "--batch-size",
        "10",
        SENSEGRID_DATABASE_URL=settings.database_url,
        SENSEGRID_MQTT_URL=settings.mqtt_url,
        SENSEGRID_TOPIC_PREFIX=settings.topic_prefix,
    )
    assert done.returncode == 0, done.stderr
    assert f"registered {len(all_kinds()) + 5} devices for tenant sim" in done.stdout, done.stdout
    assert "city.fog_signal" in done.stdout, "the scenario's time compression is applied and said"
    kinds = alert_rig.db.execute(
        "SELECT count(DISTINCT (domain, kind)) FROM devices WHERE tenant = %s", (TENANT,)
    )
    assert kinds.fetchone() == (len(all_kinds()),)
    found = re.search(r"done: [\d,]+ messages, ([\d,]+) readings, 0 failed", done.stdout)
    assert found, done.stdout
    published = int(found.group(1).replace(",", ""))
    assert published > 300, "six minutes of the fleet replayed in about a second"
    alert_rig.ingest.wait_count(published)
    assert _rejected(alert_rig.db) == []
    listed = run_cli("simulate", "--list-scenarios")
    assert listed.returncode == 0 and "fog_bank" in listed.stdout and "团雾" in listed.stdout
