"""Bad input lands in rejected_messages with the right reason while good messages keep flowing."""

from __future__ import annotations

import time

import orjson
import pytest

from tests.ingest.conftest import IngestRig

NOW = time.time()
OK = {"pm25": 12.0}

# (what is wrong, device of the topic, payload, reason stored)
BAD_INPUTS: list[tuple[str, str, bytes, str]] = [
    ("plain text", "aq-1", b"hello", "bad_json"),
    ("truncated JSON", "aq-1", b'{"ts": 1', "bad_json"),
    ("empty payload", "aq-1", b"", "bad_json"),
    ("invalid UTF-8", "aq-1", b"\xff\xfe\xfd", "bad_json"),
    ("NaN literal", "aq-1", b'{"metrics": {"pm25": NaN}}', "bad_json"),
    ("number overflowing to infinity", "aq-1", b'{"metrics": {"pm25": 1e999}}', "bad_json"),
    ("JSON number", "aq-1", b"42", "bad_format"),
    ("JSON string", "aq-1", b'"pm25=3"', "bad_format"),
    ("empty array", "aq-1", b"[]", "empty"),
    ("object without metrics or readings", "aq-1", b'{"foo": 1}', "bad_format"),
    ("empty metrics", "aq-1", b'{"metrics": {}}', "bad_format"),
    ("metrics not an object", "aq-1", b'{"metrics": [1, 2]}', "bad_format"),
    ("readings not an array", "aq-1", b'{"readings": 5}', "bad_format"),
    ("empty readings", "aq-1", b'{"readings": []}', "bad_format"),
    ("reading set not an object", "aq-1", b'{"readings": [1]}', "bad_format"),
    ("device field not text", "aq-1", b'{"device": 5, "metrics": {"pm25": 1}}', "bad_format"),
    ("metric object without value", "aq-1", b'{"metrics": {"pm25": {"v": 3}}}', "bad_format"),
    ("unregistered device", "ghost-9", orjson.dumps({"metrics": OK}), "unknown_device"),
    ("deactivated device", "aq-off", orjson.dumps({"metrics": OK}), "inactive_device"),
    (
        "payload names another device",
        "aq-1",
        orjson.dumps({"device": "aq-2", "metrics": OK}),
        "device_mismatch",
    ),
    (
        "batch names two devices",
        "aq-1",
        orjson.dumps({"device": "aq-1", "readings": [{"device": "aq-2", "metrics": OK}]}),
        "device_mismatch",
    ),
    ("unknown metric", "aq-1", b'{"metrics": {"unobtainium": 1}}', "unknown_metric"),
    ("metric of another area", "aq-1", b'{"metrics": {"visibility": 150}}', "unknown_metric"),
    ("value as text", "aq-1", b'{"metrics": {"pm25": "35"}}', "not_a_number"),
    ("value boolean", "aq-1", b'{"metrics": {"pm25": true}}', "not_a_number"),
    ("value null", "aq-1", b'{"metrics": {"pm25": null}}', "not_a_number"),
    ("value array", "aq-1", b'{"metrics": {"pm25": [1]}}', "not_a_number"),
    ("unknown unit", "aq-1", b'{"metrics": {"pm25": {"value": 1, "unit": "furlongz"}}}', "bad_unit"),
    (
        "unit of the wrong dimension",
        "aq-1",
        b'{"metrics": {"pm25": {"value": 1, "unit": "degC"}}}',
        "bad_unit",
    ),
    ("unit not text", "aq-1", b'{"metrics": {"pm25": {"value": 1, "unit": 5}}}', "bad_unit"),
    (
        "timestamp far in the future",
        "aq-1",
        orjson.dumps({"ts": NOW + 86400, "metrics": OK}),
        "future_timestamp",
    ),
    ("timestamp older than retention", "aq-1", orjson.dumps({"ts": 631152000, "metrics": OK}), "too_old"),
    ("timestamp not a date", "aq-1", b'{"ts": "yesterday", "metrics": {"pm25": 1}}', "bad_timestamp"),
    (
        "timestamp without zone",
        "aq-1",
        b'{"ts": "2026-11-27T08:00:00", "metrics": {"pm25": 1}}',
        "bad_timestamp",
    ),
    ("negative timestamp", "aq-1", b'{"ts": -5, "metrics": {"pm25": 1}}', "bad_timestamp"),
    ("boolean timestamp", "aq-1", b'{"ts": true, "metrics": {"pm25": 1}}', "bad_timestamp"),
    (
        "payload over the size limit",
        "aq-1",
        orjson.dumps({"metrics": OK, "pad": "x" * 5000}),
        "payload_too_large",
    ),
    ("SenML string value", "aq-1", b'[{"n": "pm25", "vs": "high"}]', "not_a_number"),
    ("SenML names another device", "aq-1", b'[{"bn": "aq-2/", "n": "pm25", "v": 3}]', "device_mismatch"),
    ("SenML base time not a number", "aq-1", b'[{"bt": "now", "n": "pm25", "v": 3}]', "bad_timestamp"),
    ("SenML record not an object", "aq-1", b'[{"n": "pm25", "v": 3}, 5]', "bad_format"),
    ("SenML unit unknown", "aq-1", b'[{"n": "pm25", "u": "Bogus", "v": 3}]', "bad_unit"),
]


@pytest.fixture
def strict_rig(rig: IngestRig) -> IngestRig:
    rig.settings = rig.settings.model_copy(update={"ingest_max_payload_bytes": 4096})
    rig.db.execute(
        "INSERT INTO devices (id, domain, kind, active) VALUES ('aq-off', 'environment', 'aq_station', false)"
    )
    return rig


def test_every_kind_of_bad_input_is_rejected_with_its_reason_and_good_input_still_stored(
    strict_rig: IngestRig,
) -> None:
    rig = strict_rig
    assert len(BAD_INPUTS) >= 30
    rig.start_worker()
    for k, (_, device, payload, _) in enumerate(BAD_INPUTS):
        rig.publish(device, payload)
        # a good message after each bad one: the consumer must keep storing
        rig.publish("aq-2", orjson.dumps({"ts": NOW - 3600 + k, "metrics": OK}))
    rig.wait_count(len(BAD_INPUTS), "SELECT count(*) FROM rejected_messages")
    rig.wait_count(len(BAD_INPUTS))
    rows = rig.db.execute(
        "SELECT topic, payload, reason, detail FROM rejected_messages ORDER BY id"
    ).fetchall()
    got = {(topic.split("/")[1], bytes(payload)): (reason, detail) for topic, payload, reason, detail in rows}
    for what, device, payload, reason in BAD_INPUTS:
        assert (device, payload) in got, f"{what}: not in rejected_messages"
        stored_reason, detail = got[(device, payload)]
        assert stored_reason == reason, f"{what}: reason {stored_reason!r} ({detail}), expected {reason!r}"
        assert detail, f"{what}: no detail for a person"
    assert rig.count() == len(BAD_INPUTS)  # exactly the good ones
    assert (
        rig.count(
            "SELECT count(*) FROM readings r JOIN series s ON s.id = r.series_id WHERE s.device_id <> 'aq-2'"
        )
        == 0
    )


def test_partly_bad_batch_stores_the_good_readings_and_records_the_bad_ones(rig: IngestRig) -> None:
    rig.start_worker()
    payload = orjson.dumps(
        {
            "readings": [
                {"ts": NOW - 60, "metrics": {"pm25": 30, "bogus": 1, "pm10": "x"}},
                {"ts": "nope", "metrics": OK},
            ]
        }
    )
    rig.publish("aq-1", payload)
    rig.wait_count(1, "SELECT count(*) FROM rejected_messages")
    assert rig.count() == 1
    reason, detail = rig.db.execute("SELECT reason, detail FROM rejected_messages").fetchone()  # type: ignore[misc]
    assert reason == "bad_timestamp"
    assert "1 readings stored, 3 rejected" in detail
    assert (
        "'bogus' is not in the environment catalogue" in detail
        and "pm10: value 'x' is not a number" in detail
    )


def test_rejected_message_keeps_the_raw_bytes_and_topic(rig: IngestRig) -> None:
    rig.start_worker()
    raw = b"\x00\x01binary-garbage\xff"
    rig.publish("aq-1", raw)
    rig.wait_count(1, "SELECT count(*) FROM rejected_messages")
    topic, payload, device = rig.db.execute(
        "SELECT topic, payload, device_id FROM rejected_messages"
    ).fetchone()  # type: ignore[misc]
    assert bytes(payload) == raw and topic == rig.topic("aq-1") and device == "aq-1"
