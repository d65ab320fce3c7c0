"""The SQL Grafana's PostgreSQL datasource runs for sensegrid's dashboards, with Grafana's macros.

Each function returns one panel's (or variable's) query text. Grafana expands ``$__timeFilter``,
``$__timeGroupAlias`` and the dashboard variables before the database sees it; the variables are:
``${tenant}``, ``${site}``, ``${device}``, ``${area}`` (multi-value, always used as
``IN (${name:sqlstring})``) and ``${granularity}`` (``1m`` or ``1h``: which rollup a time series
reads). Everything works on plain PostgreSQL as on TimescaleDB: time buckets come from
``$__timeGroupAlias`` (``floor(extract(epoch ...))`` with the datasource's TimescaleDB option off)
or from the rollups' own ``bucket`` column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

OPEN_STATES = "('firing', 'acknowledged')"


def literal(value: str) -> str:
    """`value` as an SQL string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def _values(alias: str, columns: Sequence[str], rows: Sequence[Sequence[str | int]]) -> str:
    """An inline ``(VALUES ...) AS alias(columns)`` table of constants from the domain registry."""
    body = ", ".join(
        "(" + ", ".join(literal(v) if isinstance(v, str) else str(int(v)) for v in row) + ")" for row in rows
    )
    return f"(VALUES {body}) AS {alias}({', '.join(columns)})"


def _area_titles(titles: Mapping[str, str]) -> str:
    """The table ``a(id, title)`` of the areas' bilingual titles."""
    return _values("a", ("id", "title"), sorted(titles.items()))


def _devices_where(area: str | None, *, device: bool) -> str:
    """The variables' filter on ``devices d``: tenant and site, the area (fixed or ${area}), device."""
    parts = ["d.tenant IN (${tenant:sqlstring})", "d.site IN (${site:sqlstring})"]
    parts.append(f"d.domain = {literal(area)}" if area else "d.domain IN (${area:sqlstring})")
    if device:
        parts.append("d.id IN (${device:sqlstring})")
    return " AND ".join(parts)


# --- variables -------------------------------------------------------------------------------


def tenant_values() -> str:
    return "SELECT DISTINCT tenant FROM devices ORDER BY 1"


def area_values(titles: Mapping[str, str]) -> str:
    """Area ids (values) with their titles (shown), for areas that have devices."""
    table = _area_titles(titles)
    return (
        f"SELECT a.title AS __text, a.id AS __value FROM {table} "
        "WHERE EXISTS (SELECT 1 FROM devices d WHERE d.domain = a.id AND d.tenant IN (${tenant:sqlstring})) "
        "ORDER BY a.id"
    )


def site_values(area: str | None) -> str:
    domain = f"domain = {literal(area)}" if area else "domain IN (${area:sqlstring})"
    return (
        f"SELECT DISTINCT site FROM devices WHERE tenant IN (${{tenant:sqlstring}}) AND {domain} ORDER BY 1"
    )


def device_values(area: str) -> str:
    return (
        "SELECT CASE WHEN name = '' THEN id ELSE name END AS __text, id AS __value FROM devices "
        "WHERE tenant IN (${tenant:sqlstring}) AND site IN (${site:sqlstring}) "
        f"AND domain = {literal(area)} "
        "ORDER BY 1"
    )


# --- readings --------------------------------------------------------------------------------


def metric_series(area: str, metric: str) -> str:
    """Mean of one metric per device and time bucket, from the rollup ${granularity} chooses."""
    return (
        "SELECT $__timeGroupAlias(r.bucket, $__interval), d.name || ' (' || d.id || ')' AS metric, "
        "sum(r.sum) / sum(r.count) AS value "
        "FROM readings_${granularity:raw} r JOIN series s ON s.id = r.series_id "
        "JOIN devices d ON d.id = s.device_id "
        f"WHERE $__timeFilter(r.bucket) AND s.metric = {literal(metric)} "
        f"AND {_devices_where(area, device=True)} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )


def latest_values(area: str) -> str:
    """Per device and metric, the newest 1-minute value in the range and when it was measured."""
    return (
        "SELECT DISTINCT ON (s.id) d.name AS device, d.site, s.metric, r.last AS value, "
        "r.last_time AS measured_at "
        "FROM readings_1m r JOIN series s ON s.id = r.series_id JOIN devices d ON d.id = s.device_id "
        f"WHERE $__timeFilter(r.bucket) AND {_devices_where(area, device=True)} "
        "ORDER BY s.id, r.bucket DESC"
    )


def readings_per_area(titles: Mapping[str, str]) -> str:
    """Readings stored per area and time bucket (the rollups' counts)."""
    table = _area_titles(titles)
    return (
        "SELECT $__timeGroupAlias(r.bucket, $__interval), a.title AS metric, sum(r.count) AS value "
        "FROM readings_${granularity:raw} r JOIN series s ON s.id = r.series_id "
        f"JOIN devices d ON d.id = s.device_id JOIN {table} ON a.id = d.domain "
        f"WHERE $__timeFilter(r.bucket) AND {_devices_where(None, device=False)} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )


# --- devices ---------------------------------------------------------------------------------


def device_count(area: str | None) -> str:
    return (
        "SELECT count(*) AS devices, count(*) FILTER (WHERE d.online) AS online "
        f"FROM devices d WHERE d.active AND {_devices_where(area, device=area is not None)}"
    )


def devices_by_area(titles: Mapping[str, str]) -> str:
    table = _area_titles(titles)
    return (
        "SELECT a.title AS area, count(*) AS devices, count(*) FILTER (WHERE d.online) AS online, "
        "max(d.last_seen) AS last_seen "
        f"FROM devices d JOIN {table} ON a.id = d.domain "
        f"WHERE d.active AND {_devices_where(None, device=False)} GROUP BY a.id, a.title ORDER BY a.id"
    )


def _worst_open_alert() -> str:
    """A LATERAL subquery: the device's most severe open alert (newest first among equals)."""
    return (
        "LEFT JOIN LATERAL (SELECT al.id, al.level, al.severity, al.rule_id, al.started_at FROM alerts al "
        f"WHERE al.device_id = d.id AND al.state IN {OPEN_STATES} "
        "ORDER BY al.severity DESC, al.started_at DESC LIMIT 1) a ON true"
    )


_LEVEL = "CASE WHEN a.id IS NULL THEN 'none' ELSE COALESCE(a.level, 'severity_' || a.severity) END"


def current_levels(area: str | None) -> str:
    """Every device with the level of its worst open alert ('none' without one), and where it is.

    The columns feed both the current-level table and the geomap (latitude, longitude, level).
    """
    return (
        "SELECT d.name AS device, d.id AS device_id, d.site, d.kind, d.domain AS area, "
        f"{_LEVEL} AS level, COALESCE(a.severity, 0) AS severity, a.rule_id AS rule, a.started_at AS since, "
        "d.latitude, d.longitude, d.last_seen "
        f"FROM devices d {_worst_open_alert()} "
        f"WHERE d.active AND {_devices_where(area, device=area is not None)} "
        "ORDER BY COALESCE(a.severity, 0) DESC, d.name"
    )


def silent_devices(area: str | None, silence_s: Mapping[tuple[str, str], int]) -> str:
    """Devices whose last reading is older than their kind's silence (or that never sent one).

    `silence_s` maps (area, device kind) to the shortest silence of the area's missing-data rules.
    """
    table = _values(
        "q", ("domain", "kind", "silence_s"), [(a, k, s) for (a, k), s in sorted(silence_s.items())]
    )
    return (
        "SELECT d.name AS device, d.id AS device_id, d.domain AS area, d.kind, d.site, d.last_seen, "
        "d.online, q.silence_s AS silence_s "
        f"FROM devices d JOIN {table} ON q.domain = d.domain AND q.kind = d.kind "
        "WHERE d.active "
        "AND (d.last_seen IS NULL OR d.last_seen < now() - make_interval(secs => q.silence_s)) "
        f"AND {_devices_where(area, device=area is not None)} "
        "ORDER BY d.last_seen NULLS FIRST, d.name"
    )


# --- data quality ----------------------------------------------------------------------------

_SHARES = (
    "count(*) AS readings, "
    "coalesce(count(*) FILTER (WHERE r.quality = 1)::float8 / nullif(count(*), 0), 0) AS suspect_share, "
    "coalesce(count(*) FILTER (WHERE r.quality = 2)::float8 / nullif(count(*), 0), 0) AS bad_share"
)


def quality_share(area: str | None) -> str:
    """Share of suspect (quality 1) and bad (quality 2) readings over the range.

    From the raw readings: the rollups do not keep quality flags.
    """
    return (
        f"SELECT {_SHARES} FROM readings r JOIN series s ON s.id = r.series_id "
        "JOIN devices d ON d.id = s.device_id "
        f"WHERE $__timeFilter(r.time) AND {_devices_where(area, device=area is not None)}"
    )


def quality_by_device(area: str | None) -> str:
    """Per device, the readings of the range and their suspect and bad shares, worst first."""
    return (
        f"SELECT d.name AS device, d.id AS device_id, d.domain AS area, {_SHARES} "
        "FROM readings r JOIN series s ON s.id = r.series_id JOIN devices d ON d.id = s.device_id "
        f"WHERE $__timeFilter(r.time) AND {_devices_where(area, device=area is not None)} "
        "GROUP BY d.id, d.name, d.domain ORDER BY bad_share DESC, suspect_share DESC, d.name"
    )


def rejected_by_reason() -> str:
    """Rejected messages per reason and time bucket (they belong to no tenant: never filtered)."""
    return (
        "SELECT $__timeGroupAlias(received_at, $__interval), reason AS metric, count(*) AS value "
        "FROM rejected_messages WHERE $__timeFilter(received_at) GROUP BY 1, 2 ORDER BY 1, 2"
    )


def recent_rejected() -> str:
    return (
        "SELECT received_at, reason, detail, topic, device_id FROM rejected_messages "
        "WHERE $__timeFilter(received_at) ORDER BY received_at DESC LIMIT 100"
    )


# --- alerts ----------------------------------------------------------------------------------


def _alerts_where(area: str | None) -> str:
    domain = f"al.area = {literal(area)}" if area else "al.area IN (${area:sqlstring})"
    return f"al.tenant IN (${{tenant:sqlstring}}) AND al.site IN (${{site:sqlstring}}) AND {domain}"


def open_alert_count(area: str | None) -> str:
    return (
        "SELECT count(*) AS open_alerts FROM alerts al "
        f"WHERE al.state IN {OPEN_STATES} AND {_alerts_where(area)}"
    )


def open_alerts_by_area(titles: Mapping[str, str]) -> str:
    """Open alerts per area and severity."""
    table = _area_titles(titles)
    return (
        "SELECT a.title AS area, al.severity, count(*) AS alerts "
        f"FROM alerts al JOIN {table} ON a.id = al.area "
        f"WHERE al.state IN {OPEN_STATES} AND {_alerts_where(None)} "
        "GROUP BY a.id, a.title, al.severity ORDER BY a.id, al.severity DESC"
    )


def alerts_started(area: str | None) -> str:
    """Alerts opened per severity and time bucket."""
    return (
        "SELECT $__timeGroupAlias(al.started_at, $__interval), al.severity::text AS metric, "
        "count(*) AS value "
        f"FROM alerts al WHERE $__timeFilter(al.started_at) AND {_alerts_where(area)} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )


def firing_alerts(area: str | None) -> str:
    """The open alerts, worst and newest first, with both languages' messages."""
    return (
        "SELECT al.started_at, al.fired_at, al.area, al.rule_id, al.device_id, al.site, al.state, "
        "al.severity, COALESCE(al.level, 'severity_' || al.severity) AS level, al.value, "
        "al.message_en, al.message_zh, al.acknowledged_by "
        f"FROM alerts al WHERE al.state IN {OPEN_STATES} AND {_alerts_where(area)} "
        "ORDER BY al.severity DESC, al.started_at DESC LIMIT 500"
    )


def recent_alert_events() -> str:
    """State changes of alerts in the range, newest first, with who made them."""
    return (
        "SELECT e.at, al.area, al.rule_id, al.device_id, e.old_state, e.new_state, "
        "e.new_severity AS severity, "
        "e.actor, e.note, al.message_en, al.message_zh "
        "FROM alert_events e JOIN alerts al ON al.id = e.alert_id "
        f"WHERE $__timeFilter(e.at) AND {_alerts_where(None)} ORDER BY e.at DESC LIMIT 200"
    )


def hourly_completeness(area: str, metrics: Sequence[str], min_minutes: int, expected_hours: int) -> str:
    """Per device and metric, the clock hours of the last `expected_hours` (the current one included)
    with at least `min_minutes` of sampling: minutes with data in the 1-minute rollup, each standing
    for the device's ``report_interval_s`` (default 60 s), at most 60 an hour (docs/standards.md §1.4).
    The window ends now, whatever the dashboard's time range."""
    names = ", ".join(literal(m) for m in metrics)
    interval = (
        "CASE WHEN jsonb_typeof(d.metadata -> 'report_interval_s') = 'number' "
        "THEN greatest((d.metadata ->> 'report_interval_s')::float8, 60) ELSE 60 END"
    )
    origin = "timestamptz '2000-01-01 00:00+00'"
    start = f"date_bin('1 hour', now(), {origin}) - interval '{expected_hours - 1} hours'"
    return (
        "WITH h AS (SELECT d.id, d.name, d.site, s.metric, least(60, count(*) * max("
        f"{interval}) / 60) AS minutes "
        "FROM readings_1m r JOIN series s ON s.id = r.series_id JOIN devices d ON d.id = s.device_id "
        f"WHERE r.bucket >= {start} AND r.count > 0 AND s.metric IN ({names}) "
        f"AND {_devices_where(area, device=True)} "
        f"GROUP BY d.id, d.name, d.site, s.metric, date_bin('1 hour', r.bucket, {origin})) "
        "SELECT CASE WHEN h.name = '' THEN h.id ELSE h.name END AS device, h.id AS device_id, "
        "h.site, h.metric, "
        f"count(*) FILTER (WHERE h.minutes >= {int(min_minutes)}) AS valid_hours, "
        f"count(*) AS hours_with_data, {int(expected_hours)} AS expected_hours "
        "FROM h GROUP BY h.id, h.name, h.site, h.metric ORDER BY valid_hours, h.id, h.metric"
    )
