"""Typed builders of the Grafana dashboard JSON model (schema version 39) sensegrid uses.

Plain dataclasses rather than grafana-foundation-sdk: sensegrid needs five panel types and a
handful of options, wants byte-stable output it controls (sorted keys, fixed ids), and the SDK's
releases are pinned to one Grafana schema each (``<epoch>!10.1.0`` on PyPI) — one more dependency
to keep in step for little gain. The shapes follow Grafana's dashboard JSON model documentation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domains.dashboards import Band
from domains.model import Level, Text

DATASOURCE_UID = "sensegrid-pg"
DATASOURCE_TYPE = "grafana-postgresql-datasource"
SCHEMA_VERSION = 39
GRID_WIDTH = 24

Json = dict[str, object]


def bilingual(text: Text) -> str:
    """The title both languages read: "English · 中文"."""
    return f"{text.en} · {text.zh}"


def datasource() -> Json:
    return {"type": DATASOURCE_TYPE, "uid": DATASOURCE_UID}


class Format(StrEnum):
    """How Grafana reads a query's rows: wide/long time series (needs a `time` column) or a table."""

    TIME_SERIES = "time_series"
    TABLE = "table"


@dataclass(frozen=True)
class Target:
    """One SQL query of a panel, in code mode."""

    sql: str
    format: Format = Format.TABLE
    ref_id: str = "A"

    def to_json(self) -> Json:
        return {
            "datasource": datasource(),
            "editorMode": "code",
            "format": self.format.value,
            "rawQuery": True,
            "rawSql": self.sql,
            "refId": self.ref_id,
        }


def level_mappings(levels: Sequence[Level]) -> list[Json]:
    """One value mapping turning level codes into their bilingual titles and standard colours."""
    options: Json = {}
    for i, level in enumerate(levels):
        entry: Json = {"index": i, "text": bilingual(level.title)}
        if level.color:
            entry["color"] = level.color
        options[level.code] = entry
    return [{"type": "value", "options": options}] if options else []


def threshold_steps(bands: Sequence[Band], base: str = "transparent") -> Json:
    steps: list[Json] = [{"color": b.color, "value": b.start} for b in bands] or [
        {"color": base, "value": None}
    ]
    return {"mode": "absolute", "steps": steps}


@dataclass(frozen=True)
class FieldConfig:
    """Display of a panel's fields: unit, thresholds, value mappings, per-field overrides."""

    unit: str | None = None
    bands: tuple[Band, ...] = ()
    mappings: tuple[Json, ...] = ()
    color_by_thresholds: bool = False
    overrides: tuple[Json, ...] = ()
    decimals: int | None = None
    custom: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> Json:
        defaults: Json = {"thresholds": threshold_steps(self.bands), "mappings": list(self.mappings)}
        if self.custom:
            defaults["custom"] = dict(self.custom)
        if self.unit:
            defaults["unit"] = self.unit
        if self.decimals is not None:
            defaults["decimals"] = self.decimals
        if self.color_by_thresholds:
            defaults["color"] = {"mode": "thresholds"}
        return {"defaults": defaults, "overrides": list(self.overrides)}


def field_override(name: str, **properties: object) -> Json:
    """Settings of one field (column) by name: unit, mappings, cell display..."""
    return {
        "matcher": {"id": "byName", "options": name},
        "properties": [
            {"id": key.replace("_", "."), "value": value} for key, value in sorted(properties.items())
        ],
    }


class PanelType(StrEnum):
    TIMESERIES = "timeseries"
    STAT = "stat"
    TABLE = "table"
    GEOMAP = "geomap"
    ROW = "row"


@dataclass(frozen=True)
class Panel:
    """One panel: its type, bilingual title, queries, field display and type-specific options.

    `columns` names the result columns the panel reads (checked by the tests against the database).
    """

    type: PanelType
    title: Text
    targets: tuple[Target, ...] = ()
    width: int = 12
    height: int = 8
    description: Text | None = None
    field_config: FieldConfig = field(default_factory=FieldConfig)
    options: Mapping[str, object] = field(default_factory=dict)
    columns: tuple[str, ...] = ()

    def to_json(self, panel_id: int, x: int, y: int) -> Json:
        body: Json = {
            "id": panel_id,
            "type": self.type.value,
            "title": bilingual(self.title),
            "gridPos": {"h": self.height, "w": self.width, "x": x, "y": y},
        }
        if self.type is PanelType.ROW:
            return body | {"collapsed": False, "panels": []}
        if self.description:
            body["description"] = bilingual(self.description)
        return body | {
            "datasource": datasource(),
            "targets": [t.to_json() for t in self.targets],
            "fieldConfig": self.field_config.to_json(),
            "options": dict(self.options),
        }


def row(title: Text) -> Panel:
    return Panel(PanelType.ROW, title, width=GRID_WIDTH, height=1)


@dataclass(frozen=True)
class Variable:
    """A dashboard variable: a query on the datasource, or a fixed list of choices (custom)."""

    name: str
    label: Text
    query: str = ""
    choices: tuple[str, ...] = ()
    multi: bool = True

    def to_json(self) -> Json:
        common: Json = {
            "name": self.name,
            "label": bilingual(self.label),
            "hide": 0,
            "multi": self.multi,
            "includeAll": self.multi,
            "skipUrlSync": False,
        }
        if self.choices:
            first = self.choices[0]
            return common | {
                "type": "custom",
                "query": ",".join(self.choices),
                "current": {"selected": True, "text": first, "value": first},
                "options": [{"selected": c == first, "text": c, "value": c} for c in self.choices],
            }
        all_current = {"selected": True, "text": ["All"], "value": ["$__all"]}
        return common | {
            "type": "query",
            "datasource": datasource(),
            "definition": self.query,
            "query": self.query,
            "refresh": 2,  # on time range change: new devices appear without a reload
            "sort": 1,
            "current": all_current if self.multi else {},
            "options": [],
            "regex": "",
        }


@dataclass(frozen=True)
class Dashboard:
    """A whole dashboard; panels are laid out left to right, top to bottom, by their widths."""

    uid: str
    title: Text
    description: Text
    panels: tuple[Panel, ...]
    variables: tuple[Variable, ...]
    tags: tuple[str, ...] = ("sensegrid",)
    time_from: str = "now-24h"
    links: tuple[Json, ...] = ()

    def layout(self) -> list[tuple[Panel, int, int]]:
        """Each panel with its grid position (x, y): rows wrap at the grid width; a row panel
        always starts a new line."""
        placed: list[tuple[Panel, int, int]] = []
        x = y = line_height = 0
        for panel in self.panels:
            if x + panel.width > GRID_WIDTH or (panel.type is PanelType.ROW and x > 0):
                x, y, line_height = 0, y + line_height, 0
            placed.append((panel, x, y))
            x += panel.width
            line_height = max(line_height, panel.height)
        return placed

    def to_json(self) -> Json:
        return {
            "uid": self.uid,
            "title": bilingual(self.title),
            "description": bilingual(self.description),
            "tags": list(self.tags),
            "editable": True,
            "graphTooltip": 1,
            "schemaVersion": SCHEMA_VERSION,
            "version": 1,
            "time": {"from": self.time_from, "to": "now"},
            "refresh": "1m",
            "timezone": "browser",
            "annotations": {"list": []},
            "links": list(self.links),
            "templating": {"list": [v.to_json() for v in self.variables]},
            "panels": [p.to_json(i, x, y) for i, (p, x, y) in enumerate(self.layout(), start=1)],
        }
