"""The dashboards as code: generated from the registry, exported deterministically, committed."""

from __future__ import annotations

import json
from pathlib import Path

from domains import registry
from domains.dashboards import area_dashboard, metric_bands
from domains.model import (
    Area,
    ConditionKind,
    Direction,
    Level,
    Metric,
    RuleSpec,
    Severity,
    Text,
    Threshold,
    strictly_below,
)
from sensegrid.grafana.dashboards import all_dashboards, area_board
from sensegrid.grafana.export import DEFAULT_DIR, differences, files
from sensegrid.grafana.model import DATASOURCE_UID, PanelType
from tests.cli import run_cli

REPO = Path(__file__).resolve().parents[2]


def test_committed_dashboards_match_a_fresh_export() -> None:
    assert differences(REPO / DEFAULT_DIR) == [], "run `sensegrid grafana export` and commit the result"


def test_export_is_deterministic_and_valid_json() -> None:
    first, second = files(), files()
    assert first == second
    for text in first.values():
        board = json.loads(text)
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids))
        for panel in board["panels"]:
            if panel["type"] != "row":
                assert panel["datasource"]["uid"] == DATASOURCE_UID
                assert all(t["datasource"]["uid"] == DATASOURCE_UID for t in panel["targets"])


def test_one_dashboard_per_area_plus_fleet_and_alerts_all_bilingual() -> None:
    uids = [d.uid for d in all_dashboards()]
    assert uids == [f"sensegrid-{a.id}" for a in registry.areas()] + ["sensegrid-fleet", "sensegrid-alerts"]
    for dashboard in all_dashboards():
        for panel in dashboard.panels:
            assert panel.title.en and panel.title.zh


def test_visibility_panel_is_coloured_by_the_fog_signal_levels() -> None:
    city = next(d for d in all_dashboards() if d.uid == "sensegrid-city").to_json()
    panel = next(p for p in city["panels"] if p["title"] == "Visibility · 能见度")  # type: ignore[attr-defined]
    steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
    # CMA fog signals: red < 50 m, orange < 200 m, yellow < 500 m (domains/city/fog.py)
    assert steps == [
        {"color": "#FF0000", "value": None},
        {"color": "#FFA500", "value": 50.0},
        {"color": "#FFFF00", "value": 200.0},
        {"color": "#2E7D32", "value": 500.0},
    ]


def test_aqi_levels_map_to_their_colours_on_the_current_level_table() -> None:
    env = area_dashboard(registry.area("environment"))
    colors = {lv.code: lv.color for lv in env.levels}
    aqi = registry.index("environment", "aqi_cn")
    assert all(colors[lv.code] == lv.color for lv in aqi.levels)


def test_bands_of_two_sided_rules_and_inclusive_rungs() -> None:
    high = Level("high", Text(en="High", zh="高"), Severity.MAJOR, "#FF0000")
    rules = (
        _rule("low", Direction.BELOW, (Threshold(Severity.WARNING, strictly_below(10.0)),)),
        _rule("high", Direction.ABOVE, (Threshold(Severity.MAJOR, 20.0, high),)),
    )
    bands = metric_bands(rules)
    assert [(b.start, b.color) for b in bands] == [(None, "#FFFF00"), (10.0, "#2E7D32"), (20.0, "#FF0000")]


def _rule(name: str, direction: Direction, thresholds: tuple[Threshold, ...]) -> RuleSpec:
    return RuleSpec(
        id=f"scratch.{name}",
        area="scratch",
        subject="level_m",
        kind=ConditionKind.LEVEL_LADDER,
        title=Text(en=name, zh=name),
        message=Text(en="{value}", zh="{value}"),
        source="test",
        direction=direction,
        thresholds=thresholds,
    )


def test_a_seventh_area_gets_a_dashboard_from_its_catalogue_alone() -> None:
    scratch = Area(
        id="scratch",
        title=Text(en="Scratch ponds", zh="试验池塘"),
        description=Text(en="Water level.", zh="水位。"),
        standards=(),
        metrics=(Metric("level_m", "m", Text(en="Water level", zh="水位"), (0.0, 10.0), ("gauge",)),),
        rules=(_rule("low", Direction.BELOW, (Threshold(Severity.WARNING, 1.0),)),),
        device_kinds={"gauge": Text(en="Gauge", zh="水位计")},
    )
    board = area_board(area_dashboard(scratch)).to_json()
    assert board["uid"] == "sensegrid-scratch" and board["title"] == "Scratch ponds · 试验池塘"
    titles = [p["title"] for p in board["panels"]]  # type: ignore[union-attr]
    assert "Gauge · 水位计" in titles and "Water level · 水位" in titles
    assert any(p.type is PanelType.GEOMAP for p in area_board(area_dashboard(scratch)).panels)


def test_cli_export_writes_the_files_and_check_finds_a_changed_one(tmp_path: Path) -> None:
    done = run_cli("grafana", "export", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files())
    assert run_cli("grafana", "export", str(tmp_path), "--check").returncode == 0
    (tmp_path / "sensegrid-city.json").write_text("{}", encoding="utf-8")
    (tmp_path / "sensegrid-gone.json").write_text("{}", encoding="utf-8")
    check = run_cli("grafana", "export", str(tmp_path), "--check")
    assert check.returncode == 1
    assert "sensegrid-city.json: differs" in check.stderr and "sensegrid-gone.json" in check.stderr
