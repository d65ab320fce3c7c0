"""Every panel of every dashboard runs on a seeded database, as Grafana would run it.

The database (TimescaleDB and plain PostgreSQL) gets devices of every kind of every area, readings
stored as ingest stores them (some suspect or bad), a silent device, open alerts and a rejected
message. Each panel's SQL, with Grafana's macros and the dashboard's variables expanded, must
return rows with the columns the panel reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from alerts.lifecycle import fingerprint
from domains import registry
from domains.model import ConditionKind
from sensegrid.grafana.dashboards import all_dashboards
from sensegrid.grafana.macros import QueryContext, expand
from sensegrid.grafana.model import Dashboard, Format, PanelType
from store.alert_writes import AlertKey, AlertWrite, EventWrite, insert_alert
from store.device_registry import NewDevice
from store.writer import RejectedRow, write_batch
from tests.api.rig import register, store_readings

TENANT = "t1"
NOW = datetime.now(UTC).replace(microsecond=0)
DASHBOARDS = {d.uid: d for d in all_dashboards()}


def _seed(db: psycopg.Connection) -> dict[str, list[str]]:
    """Devices of every kind, readings, one silent device, open alerts; returns the device ids per area.

    NOW moves to the seeding time: "silent" is judged against the database clock, so readings
    stamped when the module was imported (minutes earlier in a full run) would look silent."""
    global NOW
    NOW = datetime.now(UTC).replace(microsecond=0)
    ids: dict[str, list[str]] = {}
    for area in registry.areas():
        for n, kind in enumerate(area.device_kinds):
            device_id = f"{area.id}-{kind}"
            register(
                db,
                NewDevice(
                    device_id, area.id, kind, TENANT, f"{kind} {n}", f"site-{n % 2}", 30.0 + n, 120.0 + n
                ),
            )
            ids.setdefault(area.id, []).append(device_id)
            for i, metric in enumerate(m for m in area.metrics if kind in m.device_kinds):
                low, high = metric.plausible
                points = [(NOW - timedelta(minutes=90 - 30 * k), low + (high - low) * 0.3) for k in range(3)]
                store_readings(db, device_id, metric.name, points)
                if i == 0:  # one suspect and one bad reading (flagged by ingest's QC)
                    for quality in (1, 2):
                        store_readings(
                            db,
                            device_id,
                            metric.name,
                            [(NOW - timedelta(minutes=quality), high)],
                            quality=quality,
                        )
        silent = f"{area.id}-silent"
        kind = next(iter(area.device_kinds))
        register(db, NewDevice(silent, area.id, kind, TENANT, "silent one", "site-0", None, None))
        metric = next(m for m in area.metrics if kind in m.device_kinds)
        store_readings(db, silent, metric.name, [(NOW - timedelta(days=3), metric.plausible[0])])
        ids[area.id].append(silent)
        _open_alert(db, area.id, ids[area.id][0])
    write_batch(
        db,
        [],
        rejected=[
            RejectedRow(
                NOW.timestamp() - 60, "sensegrid/ghost/telemetry", b"{}", "unknown_device", "who?", None
            )
        ],
    )
    return ids


def _open_alert(db: psycopg.Connection, area_id: str, device_id: str) -> None:
    rule = next(r for r in registry.area(area_id).rules if r.kind is not ConditionKind.MISSING_DATA)
    rung = rule.thresholds[-1]
    site = "site-0"
    key = AlertKey(fingerprint(TENANT, rule.id, device_id), rule.id, area_id, TENANT, device_id, site)
    level = rung.level.code if rung.level else None
    write = AlertWrite("firing", int(rung.severity), level, rung.value, {}, f"{rule.title.en}", rule.title.zh)
    event = EventWrite("system", None, "firing", None, int(rung.severity), rung.value, "", True)
    assert insert_alert(db, key, write, (NOW - timedelta(minutes=20)).timestamp(), event) is not None


def _context(dashboard: Dashboard, ids: dict[str, list[str]], granularity: str) -> QueryContext:
    area = dashboard.uid.removeprefix("sensegrid-")
    devices = ids.get(area, [d for area_ids in ids.values() for d in area_ids])
    return QueryContext(
        time_from=NOW - timedelta(hours=24),
        time_to=datetime.now(UTC) + timedelta(seconds=5),
        interval_s=60,
        variables={
            "tenant": [TENANT],
            "site": ["site-0", "site-1"],
            "device": devices,
            "area": sorted(ids),
            "granularity": [granularity],
        },
        multi=frozenset({"tenant", "site", "device", "area"}),
    )


def _run(db: psycopg.Connection, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    with db.cursor() as cur:
        cur.execute(sql.encode())
        assert cur.description is not None
        return [c.name for c in cur.description], cur.fetchall()


@pytest.mark.parametrize("uid", sorted(DASHBOARDS))
def test_every_panel_query_returns_the_columns_its_panel_reads(db: psycopg.Connection, uid: str) -> None:
    dashboard = DASHBOARDS[uid]
    ids = _seed(db)
    for granularity in ("1m", "1h"):
        ctx = _context(dashboard, ids, granularity)
        for variable in dashboard.variables:
            if variable.query:
                _, rows = _run(db, expand(variable.query, ctx))
                assert rows, f"variable {variable.name} of {uid} offers no value"
        for panel in dashboard.panels:
            if panel.type is PanelType.ROW:
                continue
            for target in panel.targets:
                sql = expand(target.sql, ctx)
                assert "$" not in sql, f"{uid} / {panel.title.en}: unexpanded macro in {sql}"
                columns, rows = _run(db, sql)
                where = f"{uid} / {panel.title.en} ({granularity})"
                assert rows, f"{where}: no rows"
                assert set(panel.columns) <= set(columns), f"{where}: columns {columns}"
                if target.format is Format.TIME_SERIES:
                    assert all(isinstance(r[columns.index("time")], Decimal | float) for r in rows), where
                    assert all(r[columns.index("value")] is not None for r in rows), where


def _panel_rows(
    db: psycopg.Connection, uid: str, title_en: str, ids: dict[str, list[str]]
) -> list[dict[str, object]]:
    dashboard = DASHBOARDS[uid]
    panel = next(p for p in dashboard.panels if p.title.en == title_en)
    columns, rows = _run(db, expand(panel.targets[0].sql, _context(dashboard, ids, "1m")))
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_area_panels_show_current_level_silence_and_quality(db: psycopg.Connection) -> None:
    ids = _seed(db)
    levels = _panel_rows(db, "sensegrid-city", "Current level by device", ids)
    worst = levels[0]
    assert (
        worst["device_id"] == "city-visibility_sensor" and worst["severity"] == 4 and worst["level"] == "red"
    )
    assert {r["level"] for r in levels[1:]} == {"none"}
    silent = _panel_rows(db, "sensegrid-city", "Silent devices", ids)
    assert [r["device_id"] for r in silent] == ["city-silent"]
    (share,) = _panel_rows(db, "sensegrid-city", "Suspect / bad readings", ids)
    assert 0 < float(share["suspect_share"]) < 1 and 0 < float(share["bad_share"]) < 1  # type: ignore[arg-type]


def test_time_series_reads_the_chosen_rollup(db: psycopg.Connection) -> None:
    ids = _seed(db)
    dashboard = DASHBOARDS["sensegrid-city"]
    panel = next(p for p in dashboard.panels if p.title.en == "Visibility")
    by_granularity = {}
    for granularity in ("1m", "1h"):
        _, rows = _run(db, expand(panel.targets[0].sql, _context(dashboard, ids, granularity)))
        by_granularity[granularity] = rows
        assert all(float(r[0]) % (60 if granularity == "1m" else 3600) == 0 for r in rows)  # type: ignore[arg-type]
    sensor = "(city-visibility_sensor)"
    minutes = [r for r in by_granularity["1m"] if str(r[1]).endswith(sensor)]
    hours = [r for r in by_granularity["1h"] if str(r[1]).endswith(sensor)]
    assert sum(1 for r in minutes if r[2] == 24000.0) == 3  # the three good readings, 30 min apart
    assert 1 <= len(hours) < len(minutes)


def test_environment_completeness_counts_hours_with_45_minutes_of_sampling(db: psycopg.Connection) -> None:
    ids = _seed(db)
    previous = NOW.replace(minute=0, second=0) - timedelta(hours=1)
    for device, minutes, interval in (("aq-45", 45, 60), ("aq-44", 44, 60), ("aq-9x5min", 9, 300)):
        register(
            db,
            NewDevice(
                device,
                "environment",
                "aq_station",
                TENANT,
                device,
                "site-0",
                None,
                None,
                {"report_interval_s": interval},
            ),
        )
        points = [(previous + timedelta(minutes=m), 35.0) for m in range(minutes)]
        store_readings(db, device, "pm25", points)
        ids["environment"].append(device)
    rows = _panel_rows(db, "sensegrid-environment", "Data completeness (valid hours of the last 24)", ids)
    got = {
        r["device_id"]: (r["valid_hours"], r["hours_with_data"], r["expected_hours"])
        for r in rows
        if r["metric"] == "pm25"
    }
    assert got["aq-45"] == (1, 1, 24) and got["aq-44"] == (0, 1, 24) and got["aq-9x5min"] == (1, 1, 24)
    seeded = [v for k, v in got.items() if k.startswith("environment-")]
    assert seeded and all(valid == 0 for valid, _, _ in seeded)  # three readings 30 minutes apart
