"""sensegrid's Grafana dashboards: one per area (from its dashboard spec), a fleet overview and an
alerts board, all on the PostgreSQL datasource `sensegrid-pg`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domains import registry
from domains.dashboards import SEVERITY_COLORS, SEVERITY_TITLES, AreaDashboard, MetricPanel, area_dashboard
from domains.environment.validity import HOUR_MIN_MINUTES, HOURS_PER_DAY
from domains.model import Area, Level, Severity, Text, Window
from sensegrid.grafana.model import (
    GRID_WIDTH,
    Dashboard,
    FieldConfig,
    Json,
    Panel,
    Variable,
    bilingual,
    field_override,
    level_mappings,
    row,
)
from sensegrid.grafana.panels import (
    area_mappings,
    colored,
    geomap,
    series,
    severity_mappings,
    stat,
    table,
)
from store import grafana_sql as q

FOLDER_UID = "sensegrid"
FOLDER_TITLE = "sensegrid"

# Grafana's built-in unit ids for sensegrid's canonical pint units; others show as a suffix.
_GRAFANA_UNITS = {
    "degC": "celsius",
    "percent": "percent",
    "ppm": "ppm",
    "m": "lengthm",
    "mm": "lengthmm",
    "hPa": "pressurehpa",
    "kPa": "pressurekpa",
    "m/s": "velocityms",
    "degree": "degree",
    "V": "volt",
    "A": "amp",
    "ohm": "ohm",
    "dB": "dB",
    "dimensionless": "none",
}


def grafana_unit(unit: str) -> str:
    """The Grafana unit id of a pint unit expression ("suffix: µg/m³" when Grafana has none)."""
    if unit in _GRAFANA_UNITS:
        return _GRAFANA_UNITS[unit]
    pretty = unit.replace("^3", "³").replace("^2", "²").replace("ug", "µg")
    return f"suffix: {pretty}"


# --- shared pieces ---------------------------------------------------------------------------

_TENANT = Variable("tenant", Text(en="Tenant", zh="租户"), q.tenant_values())
_GRANULARITY = Variable("granularity", Text(en="Rollup", zh="汇总粒度"), choices=("1m", "1h"), multi=False)
_ANY_SITE = Variable("site", Text(en="Site", zh="站点"), q.site_values(None))  # sites of the chosen areas
_LINKS: tuple[Json, ...] = (
    {
        "type": "dashboards",
        "tags": ["sensegrid"],
        "asDropdown": True,
        "title": "sensegrid",
        "includeVars": True,
        "keepTime": True,
    },
)


def _quality_panels(
    area: str | None, silence: dict[tuple[str, str], int], mappings: list[Json]
) -> list[Panel]:
    share_unit = field_override("suspect_share", unit="percentunit")
    bad_unit = field_override("bad_share", unit="percentunit")
    return [
        row(Text(en="Data quality", zh="数据质量")),
        table(
            Text(en="Suspect and bad readings by device", zh="各设备可疑/错误数据占比"),
            q.quality_by_device(area),
            ("device", "readings", "suspect_share", "bad_share"),
            share_unit,
            bad_unit,
        ),
        table(
            Text(en="Silent devices", zh="无数据设备"),
            q.silent_devices(area, silence),
            ("device", "area", "kind", "last_seen", "silence_s"),
            field_override("silence_s", unit="s"),
            colored("area", mappings) if area is None else field_override("area", custom_hidden=True),
        ),
    ]


# --- one dashboard per area ------------------------------------------------------------------


def _metric_panel(area: Area, spec_panel: MetricPanel) -> Panel:
    metric = spec_panel.metric
    custom: Json = {"thresholdsStyle": {"mode": "line+area"}} if spec_panel.bands else {}
    config = FieldConfig(unit=grafana_unit(metric.unit), bands=spec_panel.bands, custom=custom)
    return series(
        metric.title, q.metric_series(area.id, metric.name), config=config, description=metric.description
    )


def _completeness(area: Area) -> list[Panel]:
    """Valid hours of the last 24 per device and metric, for the metrics an index judges by (§1.4)."""
    read = {i.metric for index in area.indices for i in index.inputs if i.window is Window.HOURLY_MINUTES}
    title = Text(en="Data completeness (valid hours of the last 24)", zh="数据完整性（近24小时有效小时数）")
    sql = q.hourly_completeness(area.id, sorted(read), HOUR_MIN_MINUTES, HOURS_PER_DAY)
    columns = ("device", "site", "metric", "valid_hours", "hours_with_data", "expected_hours")
    return [table(title, sql, columns, width=GRID_WIDTH)] if read else []


def _graded(panel: Panel, spec: AreaDashboard) -> Panel:
    """A current-level panel naming the editions its levels are graded after (HJ 633), if any."""
    named = ", ".join(spec.editions)
    title = Text(en=f"{panel.title.en} ({named})", zh=f"{panel.title.zh}（{named}）")
    return replace(panel, title=title, description=spec.levels_note) if named else panel


def area_board(spec: AreaDashboard) -> Dashboard:
    """The dashboard of one area: overview, current levels on a map, a row per device kind, quality."""
    area = spec.area
    levels = level_mappings(spec.levels)
    site = Variable("site", Text(en="Site", zh="站点"), q.site_values(area.id))
    device = Variable("device", Text(en="Device", zh="设备"), q.device_values(area.id))
    panels: list[Panel] = [
        row(Text(en="Overview", zh="概览")),
        stat(Text(en="Devices (online)", zh="设备（在线）"), q.device_count(area.id), ("devices", "online")),
        stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(area.id), ("open_alerts",)),
        stat(
            Text(en="Suspect / bad readings", zh="可疑/错误数据占比"),
            q.quality_share(area.id),
            ("suspect_share", "bad_share"),
            unit="percentunit",
        ),
        *(
            _graded(panel, spec)
            for panel in (
                geomap(
                    Text(en="Stations by current level", zh="站点当前等级"),
                    q.current_levels(area.id),
                    "level",
                    levels,
                    width=12,
                ),
                table(
                    Text(en="Current level by device", zh="各设备当前等级"),
                    q.current_levels(area.id),
                    ("device", "site", "level", "severity", "rule", "since"),
                    colored("level", levels),
                    colored("severity", severity_mappings()),
                    field_override("latitude", custom_hidden=True),
                    field_override("longitude", custom_hidden=True),
                    height=12,
                ),
            )
        ),
        table(
            Text(en="Latest values", zh="最新数值"),
            q.latest_values(area.id),
            ("device", "site", "metric", "value", "measured_at"),
            width=GRID_WIDTH,
        ),
        *_completeness(area),
    ]
    for section in spec.sections:
        panels.append(row(section.title))
        panels += [_metric_panel(area, p) for p in section.panels]
    silence = {(area.id, kind): s for kind, s in spec.silence_s.items()}
    panels += _quality_panels(area.id, silence, area_mappings([area]))
    return Dashboard(
        uid=f"sensegrid-{area.id}",
        title=area.title,
        description=area.description,
        panels=tuple(panels),
        variables=(_TENANT, site, device, _GRANULARITY),
        tags=("sensegrid", area.id),
        links=_LINKS,
    )


# --- fleet overview and alerts board ---------------------------------------------------------


def _area_variable(areas: Sequence[Area]) -> Variable:
    return Variable(
        "area", Text(en="Area", zh="领域"), q.area_values({a.id: bilingual(a.title) for a in areas})
    )


def fleet_board(areas: Sequence[Area]) -> Dashboard:
    """Every area at once: devices, open alerts, readings stored, data quality, rejected messages."""
    titles = {a.id: bilingual(a.title) for a in areas}
    mappings = area_mappings(areas)
    silence = {(a.id, kind): s for a in areas for kind, s in area_dashboard(a).silence_s.items()}
    panels: list[Panel] = [
        row(Text(en="Fleet", zh="设备总览")),
        stat(Text(en="Devices (online)", zh="设备（在线）"), q.device_count(None), ("devices", "online")),
        stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(None), ("open_alerts",)),
        stat(
            Text(en="Suspect / bad readings", zh="可疑/错误数据占比"),
            q.quality_share(None),
            ("suspect_share", "bad_share"),
            unit="percentunit",
        ),
        table(
            Text(en="Devices by area", zh="各领域设备"),
            q.devices_by_area(titles),
            ("area", "devices", "online"),
        ),
        table(
            Text(en="Open alerts by area and severity", zh="各领域未处理告警（按级别）"),
            q.open_alerts_by_area(titles),
            ("area", "severity", "alerts"),
            colored("severity", severity_mappings()),
        ),
        geomap(
            Text(en="Devices by worst open alert", zh="设备最高告警级别"),
            q.current_levels(None),
            "severity",
            severity_mappings(),
            width=GRID_WIDTH,
        ),
        series(
            Text(en="Readings stored per area", zh="各领域入库数据量"),
            q.readings_per_area(titles),
            width=GRID_WIDTH,
        ),
        *_quality_panels(None, silence, mappings),
        series(Text(en="Rejected messages by reason", zh="被拒消息（按原因）"), q.rejected_by_reason()),
        table(
            Text(en="Latest rejected messages", zh="最近被拒消息"),
            q.recent_rejected(),
            ("received_at", "reason", "detail", "topic"),
        ),
    ]
    return Dashboard(
        uid="sensegrid-fleet",
        title=Text(en="sensegrid fleet overview", zh="sensegrid 设备总览"),
        description=Text(
            en="Devices, open alerts, stored readings and data quality of every area.",
            zh="各领域的设备、未处理告警、入库数据与数据质量。",
        ),
        panels=tuple(panels),
        variables=(_TENANT, _area_variable(areas), _ANY_SITE, _GRANULARITY),
        links=_LINKS,
    )


def _all_levels(areas: Sequence[Area]) -> list[Level]:
    found: dict[str, Level] = {}
    for a in areas:
        for level in area_dashboard(a).levels:
            found.setdefault(level.code, level)
    return list(found.values())


def alerts_board(areas: Sequence[Area]) -> Dashboard:
    """Open alerts by area and severity, alerts opened over time, the firing list, recent events."""
    titles = {a.id: bilingual(a.title) for a in areas}
    severity = colored("severity", severity_mappings())
    area_names = field_override("area", mappings=area_mappings(areas))
    levels = colored("level", level_mappings(_all_levels(areas)))
    severity_names: list[Json] = [
        {
            "matcher": {"id": "byName", "options": str(int(s))},
            "properties": [
                {"id": "displayName", "value": bilingual(SEVERITY_TITLES[s])},
                {"id": "color", "value": {"mode": "fixed", "fixedColor": SEVERITY_COLORS[s]}},
            ],
        }
        for s in Severity
    ]
    panels: list[Panel] = [
        stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(None), ("open_alerts",), width=6),
        table(
            Text(en="Open alerts by area and severity", zh="各领域未处理告警（按级别）"),
            q.open_alerts_by_area(titles),
            ("area", "severity", "alerts"),
            severity,
            width=9,
            height=8,
        ),
        series(
            Text(en="Alerts opened by severity", zh="新增告警（按级别）"),
            q.alerts_started(None),
            width=9,
            config=FieldConfig(overrides=tuple(severity_names)),
        ),
        table(
            Text(en="Firing and acknowledged alerts", zh="告警中与已确认的告警"),
            q.firing_alerts(None),
            ("started_at", "area", "device_id", "severity", "level", "message_en", "message_zh"),
            severity,
            levels,
            area_names,
            width=GRID_WIDTH,
            height=12,
        ),
        table(
            Text(en="Recent alert events", zh="最近告警事件"),
            q.recent_alert_events(),
            ("at", "area", "rule_id", "new_state", "actor", "message_en", "message_zh"),
            severity,
            area_names,
            width=GRID_WIDTH,
            height=12,
        ),
    ]
    return Dashboard(
        uid="sensegrid-alerts",
        title=Text(en="sensegrid alerts", zh="sensegrid 告警"),
        description=Text(
            en="Open alerts of every area with their messages in both languages, and the latest events.",
            zh="各领域的未处理告警（中英文消息）及最近的告警事件。",
        ),
        panels=tuple(panels),
        variables=(_TENANT, _area_variable(areas), _ANY_SITE),
        time_from="now-7d",
        links=_LINKS,
    )


def all_dashboards() -> tuple[Dashboard, ...]:
    """Every dashboard sensegrid provides, in a stable order: areas by id, fleet, alerts."""
    areas = registry.areas()
    return (*(area_board(area_dashboard(a)) for a in areas), fleet_board(areas), alerts_board(areas))
