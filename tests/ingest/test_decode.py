"""Decoding and preparing messages without the broker: topics, SenML times, calibration inverse."""

from __future__ import annotations

import orjson
import pytest

from core.settings import Settings
from core.types import CalibrationVersion, Device
from ingest.decode import DecodeError, decode, parse_time
from ingest.pipeline import Message, Pipeline
from ingest.topics import parse_status

NOW = 1_790_000_000.0


def pipeline() -> Pipeline:
    device = Device("aq-1", "t1", "environment", "aq_station")
    return Pipeline(
        Settings(topic_prefix="city/sg"),
        lambda ids: {i: device for i in ids if i == "aq-1"},
        lambda pairs: {p: n for n, p in enumerate(sorted(pairs), start=1)},
        clock=lambda: NOW,
    )


@pytest.mark.parametrize(
    "topic",
    ["city/sg/aq-1/telemetry/extra", "other/aq-1/telemetry", "city/sg//telemetry", "city/sg/aq-1/config"],
)
def test_topic_outside_the_contract_is_rejected_as_bad_topic(topic: str) -> None:
    out = pipeline().prepare([Message(topic, b'{"metrics": {"pm25": 1}}', NOW)])
    assert out.rows == [] and [r.reason for r in out.rejected] == ["bad_topic"]


def test_multi_level_prefix_is_honoured() -> None:
    out = pipeline().prepare([Message("city/sg/aq-1/telemetry", b'{"metrics": {"pm25": 12.5}}', NOW)])
    assert out.rows == [(NOW, 1, 12.5, 0)] and out.rejected == []


def test_senml_times_below_2_pow_28_are_relative_to_now() -> None:
    doc = decode(orjson.dumps([{"n": "pm25", "t": -30, "v": 1}, {"n": "pm10", "t": NOW, "v": 2}]), NOW)
    assert [(r.metric, r.time) for r in doc.readings] == [("pm25", NOW - 30), ("pm10", NOW)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-27T08:00:00+08:00", 1795737600.0),
        ("2026-11-27T00:00:00Z", 1795737600.0),
        (1795737600, 1795737600.0),
        (1795737600500, 1795737600.5),
        (None, NOW),
    ],
)
def test_timestamps_in_every_accepted_form(value: object, expected: float) -> None:
    assert parse_time(value, NOW) == expected


def test_bad_json_names_the_problem() -> None:
    with pytest.raises(DecodeError) as err:
        decode(b'{"metrics": ', NOW)
    assert err.value.reason == "bad_json" and "not valid JSON" in err.value.detail


@pytest.mark.parametrize(
    ("payload", "online"),
    [
        (b"online", True),
        (b"OFFLINE", False),
        (b'{"status": "offline"}', False),
        (b'{"online": true}', True),
        (b"maybe", None),
        (b"{broken", None),
    ],
)
def test_status_payloads(payload: bytes, online: bool | None) -> None:
    assert parse_status(payload) is online


@pytest.mark.parametrize(
    "version",
    [CalibrationVersion(0, gain=1.25, offset=-3.0), CalibrationVersion(0, coefficients=(0.5, 1.1, 0.002))],
)
def test_calibration_inverse_recovers_the_raw_value(version: CalibrationVersion) -> None:
    for raw in (0.0, 3.7, 42.0, 480.0):
        assert version.invert(version.apply(raw)) == pytest.approx(raw, abs=1e-9)
