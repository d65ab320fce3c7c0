"""sensegrid's Grafana dashboards: one per area (from its dashboard spec), a fleet overview and an
alerts board, all on the PostgreSQL datasource `sensegrid-pg`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domains import registry
from domains.dashboards import (
    NO_ALERT,
    OK_COLOR,
    SEVERITY_COLORS,
    SEVERITY_TITLES,
    AreaDashboard,
    MetricPanel,
    area_dashboard,
)
from domains.model import Area, Level, Severity, Text
from sensegrid.grafana.model import (
    GRID_WIDTH,
    Dashboard,
    FieldConfig,
    Format,
    Json,
    Panel,
    PanelType,
    Target,
    Variable,
    bilingual,
    field_override,
    level_mappings,
    row,
)
from store import grafana_sql as q

FOLDER_UID = "sensegrid"
FOLDER_TITLE = "sensegrid"
TIME_SERIES_COLUMNS = ("time", "metric", "value")
GEOMAP_COLUMNS = ("latitude", "longitude", "device", "level", "severity")

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
_TABLE_OPTIONS: Json = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False}}
_STAT_OPTIONS: Json = {
    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
    "colorMode": "value",
    "graphMode": "none",
    "textMode": "value_and_name",
    "justifyMode": "auto",
    "orientation": "auto",
}
_SERIES_OPTIONS: Json = {
    "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
    "tooltip": {"mode": "multi", "sort": "desc"},
}


def _severity_mappings() -> list[Json]:
    options: Json = {"0": {"index": 0, "text": bilingual(NO_ALERT.title), "color": OK_COLOR}}
    for s in Severity:
        options[str(int(s))] = {
            "index": int(s),
            "text": bilingual(SEVERITY_TITLES[s]),
            "color": SEVERITY_COLORS[s],
        }
    return [{"type": "value", "options": options}]


def _area_mappings(areas: Sequence[Area]) -> list[Json]:
    options: Json = {a.id: {"index": i, "text": bilingual(a.title)} for i, a in enumerate(areas)}
    return [{"type": "value", "options": options}]


def _colored(name: str, mappings: list[Json]) -> Json:
    return field_override(name, mappings=mappings, custom_cellOptions={"type": "color-background"})


def _table(
    title: Text, sql: str, columns: tuple[str, ...], *overrides: Json, width: int = 12, height: int = 10
) -> Panel:
    return Panel(
        PanelType.TABLE,
        title,
        (Target(sql),),
        width=width,
        height=height,
        field_config=FieldConfig(overrides=overrides),
        options=_TABLE_OPTIONS,
        columns=columns,
    )


def _stat(
    title: Text, sql: str, columns: tuple[str, ...], *, unit: str | None = None, width: int = 8
) -> Panel:
    return Panel(
        PanelType.STAT,
        title,
        (Target(sql),),
        width=width,
        height=4,
        field_config=FieldConfig(unit=unit, decimals=1 if unit == "percentunit" else None),
        options=_STAT_OPTIONS,
        columns=columns,
    )


def _series(
    title: Text, sql: str, *, unit: str | None = None, width: int = 12, config: FieldConfig | None = None
) -> Panel:
    return Panel(
        PanelType.TIMESERIES,
        title,
        (Target(sql, Format.TIME_SERIES),),
        width=width,
        field_config=config or FieldConfig(unit=unit),
        options=_SERIES_OPTIONS,
        columns=TIME_SERIES_COLUMNS,
    )


def _geomap(title: Text, sql: str, color_field: str, mappings: list[Json], *, width: int) -> Panel:
    """Devices as markers at their coordinates, coloured by `color_field` through `mappings`."""
    layer: Json = {
        "type": "markers",
        "name": "devices",
        "config": {
            "showLegend": True,
            "style": {
                "size": {"fixed": 7},
                "color": {"field": color_field, "fixed": OK_COLOR},
                "opacity": 0.85,
                "text": {"field": "device", "mode": "field"},
                "textConfig": {"fontSize": 10, "offsetY": -12},
            },
        },
        "location": {"mode": "coords", "latitude": "latitude", "longitude": "longitude"},
        "tooltip": True,
    }
    return Panel(
        PanelType.GEOMAP,
        title,
        (Target(sql),),
        width=width,
        height=12,
        field_config=FieldConfig(mappings=tuple(mappings), color_by_thresholds=True),
        options={
            "view": {"id": "fit", "lat": 0, "lon": 0, "zoom": 1, "allLayers": True},
            "controls": {"showZoom": True, "mouseWheelZoom": True, "showAttribution": True},
            "basemap": {"type": "default", "name": "basemap"},
            "layers": [layer],
            "tooltip": {"mode": "details"},
        },
        columns=GEOMAP_COLUMNS,
    )


def _quality_panels(
    area: str | None, silence: dict[tuple[str, str], int], mappings: list[Json]
) -> list[Panel]:
    share_unit = field_override("suspect_share", unit="percentunit")
    bad_unit = field_override("bad_share", unit="percentunit")
    return [
        row(Text(en="Data quality", zh="数据质量")),
        _table(
            Text(en="Suspect and bad readings by device", zh="各设备可疑/错误数据占比"),
            q.quality_by_device(area),
            ("device", "readings", "suspect_share", "bad_share"),
            share_unit,
            bad_unit,
        ),
        _table(
            Text(en="Silent devices", zh="无数据设备"),
            q.silent_devices(area, silence),
            ("device", "area", "kind", "last_seen", "silence_s"),
            field_override("silence_s", unit="s"),
            _colored("area", mappings) if area is None else field_override("area", custom_hidden=True),
        ),
    ]


# --- one dashboard per area ------------------------------------------------------------------


def _metric_panel(area: Area, spec_panel: MetricPanel) -> Panel:
    metric = spec_panel.metric
    custom: Json = {"thresholdsStyle": {"mode": "line+area"}} if spec_panel.bands else {}
    config = FieldConfig(unit=grafana_unit(metric.unit), bands=spec_panel.bands, custom=custom)
    return Panel(
        PanelType.TIMESERIES,
        metric.title,
        (Target(q.metric_series(area.id, metric.name), Format.TIME_SERIES),),
        description=metric.description,
        field_config=config,
        options=_SERIES_OPTIONS,
        columns=TIME_SERIES_COLUMNS,
    )


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
        _stat(Text(en="Devices (online)", zh="设备（在线）"), q.device_count(area.id), ("devices", "online")),
        _stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(area.id), ("open_alerts",)),
        _stat(
            Text(en="Suspect / bad readings", zh="可疑/错误数据占比"),
            q.quality_share(area.id),
            ("suspect_share", "bad_share"),
            unit="percentunit",
        ),
        *(
            _graded(panel, spec)
            for panel in (
                _geomap(
                    Text(en="Stations by current level", zh="站点当前等级"),
                    q.current_levels(area.id),
                    "level",
                    levels,
                    width=12,
                ),
                _table(
                    Text(en="Current level by device", zh="各设备当前等级"),
                    q.current_levels(area.id),
                    ("device", "site", "level", "severity", "rule", "since"),
                    _colored("level", levels),
                    _colored("severity", _severity_mappings()),
                    field_override("latitude", custom_hidden=True),
                    field_override("longitude", custom_hidden=True),
                    height=12,
                ),
            )
        ),
        _table(
            Text(en="Latest values", zh="最新数值"),
            q.latest_values(area.id),
            ("device", "site", "metric", "value", "measured_at"),
            width=GRID_WIDTH,
        ),
    ]
    for section in spec.sections:
        panels.append(row(section.title))
        panels += [_metric_panel(area, p) for p in section.panels]
    silence = {(area.id, kind): s for kind, s in spec.silence_s.items()}
    panels += _quality_panels(area.id, silence, _area_mappings([area]))
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
    mappings = _area_mappings(areas)
    silence = {(a.id, kind): s for a in areas for kind, s in area_dashboard(a).silence_s.items()}
    panels: list[Panel] = [
        row(Text(en="Fleet", zh="设备总览")),
        _stat(Text(en="Devices (online)", zh="设备（在线）"), q.device_count(None), ("devices", "online")),
        _stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(None), ("open_alerts",)),
        _stat(
            Text(en="Suspect / bad readings", zh="可疑/错误数据占比"),
            q.quality_share(None),
            ("suspect_share", "bad_share"),
            unit="percentunit",
        ),
        _table(
            Text(en="Devices by area", zh="各领域设备"),
            q.devices_by_area(titles),
            ("area", "devices", "online"),
        ),
        _table(
            Text(en="Open alerts by area and severity", zh="各领域未处理告警（按级别）"),
            q.open_alerts_by_area(titles),
            ("area", "severity", "alerts"),
            _colored("severity", _severity_mappings()),
        ),
        _geomap(
            Text(en="Devices by worst open alert", zh="设备最高告警级别"),
            q.current_levels(None),
            "severity",
            _severity_mappings(),
            width=GRID_WIDTH,
        ),
        _series(
            Text(en="Readings stored per area", zh="各领域入库数据量"),
            q.readings_per_area(titles),
            width=GRID_WIDTH,
        ),
        *_quality_panels(None, silence, mappings),
        _series(Text(en="Rejected messages by reason", zh="被拒消息（按原因）"), q.rejected_by_reason()),
        _table(
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
    severity = _colored("severity", _severity_mappings())
    area_names = field_override("area", mappings=_area_mappings(areas))
    levels = _colored("level", level_mappings(_all_levels(areas)))
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
        _stat(Text(en="Open alerts", zh="未处理告警"), q.open_alert_count(None), ("open_alerts",), width=6),
        _table(
            Text(en="Open alerts by area and severity", zh="各领域未处理告警（按级别）"),
            q.open_alerts_by_area(titles),
            ("area", "severity", "alerts"),
            severity,
            width=9,
            height=8,
        ),
        _series(
            Text(en="Alerts opened by severity", zh="新增告警（按级别）"),
            q.alerts_started(None),
            width=9,
            config=FieldConfig(overrides=tuple(severity_names)),
        ),
        _table(
            Text(en="Firing and acknowledged alerts", zh="告警中与已确认的告警"),
            q.firing_alerts(None),
            ("started_at", "area", "device_id", "severity", "level", "message_en", "message_zh"),
            severity,
            levels,
            area_names,
            width=GRID_WIDTH,
            height=12,
        ),
        _table(
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
