"""Every wire format, unit conversion, calibration and QC flags, end to end through MQTT."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from store.calibration import add_calibration
from tests.ingest.conftest import IngestRig

T0 = datetime.now(UTC).replace(microsecond=0).timestamp() - 3600  # an hour ago, whole second


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat().replace("+00:00", "Z")


def test_single_reading_set_with_iso_time_is_stored(rig: IngestRig) -> None:
    rig.start_worker()
    rig.publish("aq-1", orjson.dumps({"ts": iso(T0), "metrics": {"pm25": 35.5, "pm10": 80}}))
    rig.wait_count(2)
    assert rig.readings("aq-1", "pm25") == [(T0, 35.5, 0)]
    assert rig.readings("aq-1", "pm10") == [(T0, 80.0, 0)]


def test_batch_with_epoch_seconds_and_milliseconds_is_stored(rig: IngestRig) -> None:
    rig.start_worker()
    payload = {
        "readings": [
            {"ts": T0, "metrics": {"pm25": 10}},
            {"ts": int((T0 + 60) * 1000), "metrics": {"pm25": 11}},
            {"ts": iso(T0 + 120), "metrics": {"pm25": 12}},
        ]
    }
    rig.publish("aq-1", orjson.dumps(payload))
    rig.wait_count(3)
    assert rig.readings("aq-1", "pm25") == [(T0, 10.0, 0), (T0 + 60, 11.0, 0), (T0 + 120, 12.0, 0)]


def test_json_array_of_reading_sets_is_stored(rig: IngestRig) -> None:
    rig.start_worker()
    rig.publish(
        "aq-2", orjson.dumps([{"ts": T0, "metrics": {"o3": 100}}, {"ts": T0 + 1, "metrics": {"o3": 101}}])
    )
    rig.wait_count(2)
    assert [v for _, v, _ in rig.readings("aq-2", "o3")] == [100.0, 101.0]


def test_senml_with_base_name_time_and_unit_is_resolved(rig: IngestRig) -> None:
    rig.start_worker()
    senml = [
        {"bn": "urn:dev:sensegrid:met-1:", "bt": T0, "bu": "Cel", "n": "air_temperature", "v": 21.5},
        {"n": "air_temperature", "t": 60, "v": 21.7},
        {"n": "relative_humidity", "u": "%RH", "t": 60, "v": 55},
    ]
    rig.publish("met-1", orjson.dumps(senml))
    rig.wait_count(3)
    assert rig.readings("met-1", "air_temperature") == [(T0, 21.5, 0), (T0 + 60, 21.7, 0)]
    assert rig.readings("met-1", "relative_humidity") == [(T0 + 60, 55.0, 0)]


def test_units_are_converted_to_the_catalogue_unit(rig: IngestRig) -> None:
    rig.start_worker()
    payload = {
        "ts": T0,
        "metrics": {
            "pm25": {"value": 0.075, "unit": "mg/m^3"},  # 75 µg/m³
            "co": {"value": 1500, "unit": "ug/m^3"},  # 1.5 mg/m³
        },
    }
    rig.publish("aq-1", orjson.dumps(payload))
    rig.publish(
        "met-1", orjson.dumps({"ts": T0, "metrics": {"air_temperature": {"value": 50, "unit": "degF"}}})
    )
    rig.wait_count(3)
    assert rig.readings("aq-1", "pm25")[0][1] == 75.0
    assert abs(rig.readings("aq-1", "co")[0][1] - 1.5) < 1e-12
    assert abs(rig.readings("met-1", "air_temperature")[0][1] - 10.0) < 1e-9


def test_calibration_in_force_at_the_reading_time_is_applied(rig: IngestRig) -> None:
    # gain 1.1, offset -2 from T0+60 on; a polynomial from T0+120 on. Earlier readings stay raw.
    add_calibration(rig.db, "aq-1", "pm25", datetime.fromtimestamp(T0 + 60, UTC), gain=1.1, offset=-2.0)
    add_calibration(
        rig.db, "aq-1", "pm25", datetime.fromtimestamp(T0 + 120, UTC), coefficients=[1.0, 2.0, 0.5]
    )
    rig.start_worker()
    sets = [{"ts": T0 + k * 60, "metrics": {"pm25": 10.0}} for k in range(3)]
    rig.publish("aq-1", orjson.dumps({"readings": sets}))
    rig.wait_count(3)
    values = [v for _, v, _ in rig.readings("aq-1", "pm25")]
    assert values[0] == 10.0  # before any calibration
    assert abs(values[1] - 9.0) < 1e-9  # 1.1·10 − 2
    assert abs(values[2] - 71.0) < 1e-9  # 1 + 2·10 + 0.5·100


def test_quality_flags_are_stored_per_reading(rig: IngestRig) -> None:
    rig.start_worker()
    # Air temperature: 20.0, then +2.5 °C a minute later (≥ 2 suspect, < 3 error, §7), then 99 °C
    # (outside −80…60: bad), then 22.6 (+0.1 from 22.5: good).
    sets = [
        {"ts": T0, "metrics": {"air_temperature": 20.0}},
        {"ts": T0 + 60, "metrics": {"air_temperature": 22.5}},
        {"ts": T0 + 120, "metrics": {"air_temperature": 99.0}},
        {"ts": T0 + 180, "metrics": {"air_temperature": 22.6}},
    ]
    rig.publish("met-1", orjson.dumps({"readings": sets}))
    rig.wait_count(4)
    assert [q for _, _, q in rig.readings("met-1", "air_temperature")] == [0, 1, 2, 0]


def test_a_bad_reading_is_stored_but_left_out_of_rollups(rig: IngestRig) -> None:
    rig.start_worker()
    rig.publish(
        "aq-1",
        orjson.dumps(
            {
                "readings": [
                    {"ts": T0, "metrics": {"pm25": 40.0}},
                    {"ts": T0 + 1, "metrics": {"pm25": 5000.0}},  # beyond the plausible range: bad
                ]
            }
        ),
    )
    rig.wait_count(2)
    row = rig.db.execute("SELECT count, sum, max FROM readings_1m").fetchone()
    assert row == (1, 40.0, 40.0)


def test_device_last_seen_is_updated(rig: IngestRig) -> None:
    rig.start_worker()
    rig.publish("aq-2", orjson.dumps({"metrics": {"pm25": 1}}))
    rig.wait_count(1)
    row = rig.db.execute("SELECT last_seen IS NOT NULL FROM devices WHERE id = 'aq-2'").fetchone()
    assert row == (True,)


def test_status_topic_sets_device_online_and_offline(rig: IngestRig) -> None:
    rig.start_worker()
    status_topic = f"{rig.settings.topic_prefix}/aq-1/status"
    rig.publisher.publish(status_topic, "offline")
    rig.wait_for(lambda: rig.count("SELECT count(*) FROM devices WHERE id = 'aq-1' AND online = false") == 1)
    rig.publisher.publish(status_topic, orjson.dumps({"status": "online"}))
    rig.wait_for(lambda: rig.count("SELECT count(*) FROM devices WHERE id = 'aq-1' AND online") == 1)
    rig.publisher.publish(status_topic, "sleepy")
    rig.wait_count(1, "SELECT count(*) FROM rejected_messages WHERE reason = 'bad_status'")
    rig.publisher.publish(f"{rig.settings.topic_prefix}/ghost/status", "online")
    rig.wait_count(1, "SELECT count(*) FROM rejected_messages WHERE reason = 'unknown_device'")
    assert rig.count("SELECT count(*) FROM devices WHERE id = 'aq-1' AND online") == 1
