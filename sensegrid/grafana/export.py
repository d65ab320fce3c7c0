"""Write the dashboards as JSON files, byte for byte the same on every run (sorted keys, fixed
ids and uids, no timestamps), so the files committed under deploy/grafana/dashboards/ can be
compared with a fresh export."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sensegrid.grafana.dashboards import all_dashboards
from sensegrid.grafana.model import Dashboard

DEFAULT_DIR = Path("deploy/grafana/dashboards")


def render(dashboard: Dashboard) -> str:
    """The file text of one dashboard."""
    return json.dumps(dashboard.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def files(dashboards: Sequence[Dashboard] | None = None) -> dict[str, str]:
    """File name (``<uid>.json``) → text, for every dashboard."""
    return {f"{d.uid}.json": render(d) for d in (dashboards if dashboards is not None else all_dashboards())}


@dataclass(frozen=True)
class ExportResult:
    written: tuple[str, ...]  # files whose content changed (or were new)
    unchanged: tuple[str, ...]
    stale: tuple[str, ...]  # sensegrid-*.json files in the directory no dashboard produces any more


def _stale(directory: Path, expected: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in directory.glob("sensegrid-*.json") if p.name not in expected))


def export(directory: Path) -> ExportResult:
    """Write every dashboard to `directory` (created if needed), removing stale sensegrid files."""
    directory.mkdir(parents=True, exist_ok=True)
    expected = files()
    written, unchanged = [], []
    for name, text in expected.items():
        path = directory / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            unchanged.append(name)
            continue
        path.write_text(text, encoding="utf-8")
        written.append(name)
    stale = _stale(directory, expected)
    for name in stale:
        (directory / name).unlink()
    return ExportResult(tuple(written), tuple(unchanged), stale)


def differences(directory: Path) -> list[str]:
    """What differs between `directory` and a fresh export (empty: up to date), one line each."""
    expected = files()
    problems = []
    for name, text in expected.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{name}: differs from the generator")
    problems += [f"{name}: no dashboard produces it" for name in _stale(directory, expected)]
    return problems
