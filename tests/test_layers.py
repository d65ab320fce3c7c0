"""The package rules (pyproject's import-linter contracts) hold, and a forbidden import breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _root_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages: list[str] = config["tool"]["importlinter"]["root_packages"]
    return packages


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, timeout=120
    )


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa: E402, F401\n", encoding="utf-8")


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    for package in _root_packages():
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_the_repository_keeps_every_contract(tmp_path: Path) -> None:
    out = _lint(_copy(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_domains_importing_the_store_breaks_the_layers(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    _append(tree / "domains" / "model.py", "import store.db")
    out = _lint(tree)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "BROKEN" in out.stdout
    assert "domains.model -> store.db" in out.stdout


def test_ingest_importing_alerts_breaks_the_layers(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    pipeline = next(p for p in sorted((tree / "ingest").glob("*.py")) if p.name != "__init__.py")
    _append(pipeline, "import alerts")
    out = _lint(tree)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"ingest.{pipeline.stem} -> alerts" in out.stdout


def test_the_simulator_importing_the_store_breaks_its_contract(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    _append(tree / "sim" / "__init__.py", "import store")
    out = _lint(tree)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "The simulator speaks MQTT only" in out.stdout and "BROKEN" in out.stdout
