"""The panel builders sensegrid's dashboards are made of: tables, stats, time series and device maps."""

from __future__ import annotations

from collections.abc import Sequence

from domains.dashboards import NO_ALERT, OK_COLOR, SEVERITY_COLORS, SEVERITY_TITLES
from domains.model import Area, Severity, Text
from sensegrid.grafana.model import (
    FieldConfig,
    Format,
    Json,
    Panel,
    PanelType,
    Target,
    bilingual,
    field_override,
)

TIME_SERIES_COLUMNS = ("time", "metric", "value")
GEOMAP_COLUMNS = ("latitude", "longitude", "device", "level", "severity")
TABLE_OPTIONS: Json = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False}}
STAT_OPTIONS: Json = {
    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
    "colorMode": "value",
    "graphMode": "none",
    "textMode": "value_and_name",
    "justifyMode": "auto",
    "orientation": "auto",
}
SERIES_OPTIONS: Json = {
    "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
    "tooltip": {"mode": "multi", "sort": "desc"},
}


def severity_mappings() -> list[Json]:
    options: Json = {"0": {"index": 0, "text": bilingual(NO_ALERT.title), "color": OK_COLOR}}
    for s in Severity:
        options[str(int(s))] = {
            "index": int(s),
            "text": bilingual(SEVERITY_TITLES[s]),
            "color": SEVERITY_COLORS[s],
        }
    return [{"type": "value", "options": options}]


def area_mappings(areas: Sequence[Area]) -> list[Json]:
    options: Json = {a.id: {"index": i, "text": bilingual(a.title)} for i, a in enumerate(areas)}
    return [{"type": "value", "options": options}]


def colored(name: str, mappings: list[Json]) -> Json:
    return field_override(name, mappings=mappings, custom_cellOptions={"type": "color-background"})


def _query_panel(
    kind: PanelType,
    title: Text,
    sql: str,
    columns: tuple[str, ...],
    *,
    size: tuple[int, int],
    config: FieldConfig,
    options: Json,
) -> Panel:
    """A panel of one table-format query reading `columns`, `size` (width, height) on the grid."""
    width, height = size
    return Panel(
        kind,
        title,
        (Target(sql),),
        width=width,
        height=height,
        field_config=config,
        options=options,
        columns=columns,
    )


def table(
    title: Text, sql: str, columns: tuple[str, ...], *overrides: Json, width: int = 12, height: int = 10
) -> Panel:
    config = FieldConfig(overrides=overrides)
    return _query_panel(
        PanelType.TABLE, title, sql, columns, size=(width, height), config=config, options=TABLE_OPTIONS
    )


def stat(
    title: Text, sql: str, columns: tuple[str, ...], *, unit: str | None = None, width: int = 8
) -> Panel:
    config = FieldConfig(unit=unit, decimals=1 if unit == "percentunit" else None)
    return _query_panel(
        PanelType.STAT, title, sql, columns, size=(width, 4), config=config, options=STAT_OPTIONS
    )


def series(
    title: Text,
    sql: str,
    *,
    unit: str | None = None,
    width: int = 12,
    config: FieldConfig | None = None,
    description: Text | None = None,
) -> Panel:
    return Panel(
        PanelType.TIMESERIES,
        title,
        (Target(sql, Format.TIME_SERIES),),
        width=width,
        description=description,
        field_config=config or FieldConfig(unit=unit),
        options=SERIES_OPTIONS,
        columns=TIME_SERIES_COLUMNS,
    )


def geomap(title: Text, sql: str, color_field: str, mappings: list[Json], *, width: int) -> Panel:
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
    options: Json = {
        "view": {"id": "fit", "lat": 0, "lon": 0, "zoom": 1, "allLayers": True},
        "controls": {"showZoom": True, "mouseWheelZoom": True, "showAttribution": True},
        "basemap": {"type": "default", "name": "basemap"},
        "layers": [layer],
        "tooltip": {"mode": "details"},
    }
    config = FieldConfig(mappings=tuple(mappings), color_by_thresholds=True)
    return _query_panel(
        PanelType.GEOMAP, title, sql, GEOMAP_COLUMNS, size=(width, 12), config=config, options=options
    )
