"""The environment dashboard says which HJ 633 edition its AQI level panels are graded after."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from domains.environment.hj633_iaqi import DEFAULT_EDITION
from sensegrid.grafana.dashboards import all_dashboards
from sensegrid.grafana.export import DEFAULT_DIR

REPO = Path(__file__).resolve().parents[2]
LEVEL_PANELS = ("Stations by current level", "Current level by device")


def _panels(uid: str) -> list[dict[str, Any]]:
    """The panels of dashboard `uid` as Grafana loads them: from the committed provisioning file."""
    board: dict[str, Any] = json.loads((REPO / DEFAULT_DIR / f"{uid}.json").read_text(encoding="utf-8"))
    return list(board["panels"])


def _level_panels(uid: str) -> list[dict[str, Any]]:
    return [p for p in _panels(uid) if str(p["title"]).startswith(LEVEL_PANELS)]


def test_environment_level_panels_name_the_edition_in_title_and_description() -> None:
    panels = _level_panels("sensegrid-environment")
    assert len(panels) == 2
    edition = DEFAULT_EDITION.value  # HJ633-2026
    for panel in panels:
        assert f"({edition})" in panel["title"] and f"（{edition}）" in panel["title"]
        assert f"China AQI (hourly), edition {edition}" in panel["description"]
        assert f"空气质量指数（实时），{edition} 版" in panel["description"]


def test_areas_without_an_edition_keep_plain_level_panel_titles() -> None:
    for dashboard in all_dashboards():
        if dashboard.uid in ("sensegrid-environment", "sensegrid-fleet", "sensegrid-alerts"):
            continue
        for panel in _level_panels(dashboard.uid):
            assert "HJ633" not in panel["title"] and "description" not in panel
