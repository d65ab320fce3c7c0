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
    start = (time.time() // hour - 21) * hour
    # 21 clock hours of hourly readings, a valid day (20 hours, docs/standards.md §1.4): SO2 100 µg/m³
    # for 14 hours, then 900 for 7; PM2.5 10 throughout
    so2_hours = [100.0] * 14 + [900.0] * 7
    readings = [(start + k * hour, {"so2": v, "pm25": 10.0}) for k, v in enumerate(so2_hours)]
    hourly = '{"report_interval_s": 3600}'  # one reading stands for the hour's sampling
    rig.db.execute("UPDATE devices SET metadata = metadata || %s::jsonb WHERE id = 'aq-1'", (hourly,))
    rig.publish_many("aq-1", readings)
    rig.start_evaluator()
    alert = rig.wait_alert(RULE, "aq-1")
    so2 = iaqi(Row.SO2_24H, sum(so2_hours) / len(so2_hours))  # the mean of the hourly means
    assert so2 == 134 and alert.value == so2, "PM2.5 alone would be AQI 15, no alert"
    assert alert.severity == Severity.WARNING and alert.level == "lightly_polluted"
    assert alert.message_en.startswith("Station 1: AQI 134 (SO2, PM2.5 only; missing NO2, CO, O3, PM10) —")
    assert "空气质量指数 134（仅SO2、PM2.5；缺NO2、CO、O3、PM10）" in alert.message_zh
    labels = alert.labels
    assert (labels["indexed"], labels["missing"]) == ("so2,pm25", "no2,co,o3,pm10")
    assert labels["complete"] == "false"


PM25_RULE = "environment.pm25_24h_exceedance"


def test_pm25_24h_exceedance_waits_for_a_valid_day_of_20_hours(alert_rig: AlertRig) -> None:
    """GB 3095-2012 §8: 19 hours of PM2.5 at 80 µg/m³ are no 24-h mean, so no exceedance; the
    20th valid hour makes the day, and the rule fires (docs/standards.md §1.4)."""
    rig = alert_rig
    hour = 3600.0
    start = (time.time() // hour - 19) * hour  # 19 clock hours ending with the previous one
    hourly = '{"report_interval_s": 3600}'
    rig.db.execute("UPDATE devices SET metadata = metadata || %s::jsonb WHERE id = 'aq-1'", (hourly,))
    rig.publish_many("aq-1", [(start + k * hour, {"pm25": 80.0}) for k in range(19)])

    def stored() -> int:
        row = rig.db.execute(
            "SELECT count(*) FROM readings r JOIN series s ON s.id = r.series_id "
            "WHERE s.device_id = 'aq-1' AND s.metric = 'pm25'"
        ).fetchone()
        return int(row[0]) if row else 0

    rig.wait_until(lambda: stored() == 19, what="19 hourly PM2.5 readings stored")
    evaluator = rig.start_evaluator()
    rig.wait_judged(evaluator)
    assert rig.alerts(PM25_RULE, "aq-1") == [], "19 valid hours are not a day"
    rig.publish_many("aq-1", [(start + 19 * hour, {"pm25": 80.0})])  # the current hour: 20 valid
    alert = rig.wait_alert(PM25_RULE, "aq-1")
    assert alert.value == 80.0 and alert.severity == Severity.WARNING
