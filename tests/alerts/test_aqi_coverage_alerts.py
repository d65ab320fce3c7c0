"""The China AQI alert end to end (MQTT → ingest → PostgreSQL → evaluator): SO2 above 800 µg/m³
indexed by its 24-h mean, and the alert saying which pollutants the AQI stands on
(docs/standards.md §1.1)."""

from __future__ import annotations

import time

from domains.environment.hj633_iaqi import Row, iaqi
from domains.model import Severity
from tests.alerts.conftest import AlertRig

RULE = "environment.aqi_cn_level"


def test_so2_above_800_raises_the_aqi_alert_and_the_alert_names_the_missing_pollutants(
    alert_rig: AlertRig,
) -> None:
    rig = alert_rig
    rig.override(RULE, {"for_s": 0}, tenant="t1")  # the rule wants an hour of it; the data is hours old
    hour = 3600.0
    start = (time.time() // hour - 3) * hour
    # three clock hours of 10-minute readings: SO2 100, 100, then 900 µg/m³; PM2.5 10 throughout
    readings = [(start + k * 600, {"so2": 100.0 if k < 12 else 900.0, "pm25": 10.0}) for k in range(18)]
    rig.publish_many("aq-1", readings)
    rig.start_evaluator()
    alert = rig.wait_alert(RULE, "aq-1")
    so2 = iaqi(Row.SO2_24H, (100.0 + 100.0 + 900.0) / 3)  # the mean of the hourly means
    assert so2 == 134 and alert.value == so2, "PM2.5 alone would be AQI 15, no alert"
    assert alert.severity == Severity.WARNING and alert.level == "lightly_polluted"
    assert alert.message_en.startswith("Station 1: AQI 134 (SO2, PM2.5 only; missing NO2, CO, O3, PM10) —")
    assert "空气质量指数 134（仅SO2、PM2.5；缺NO2、CO、O3、PM10）" in alert.message_zh
    labels = alert.labels
    assert (labels["indexed"], labels["missing"]) == ("so2,pm25", "no2,co,o3,pm10")
    assert labels["complete"] == "false"
