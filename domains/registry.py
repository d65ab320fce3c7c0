"""The one place the platform finds areas: every sub-package of `domains` exposing `AREA`.

Adding a seventh area means adding a folder `domains/<area>/` whose `__init__.py` defines
`AREA = Area(...)`; nothing else changes. Tests and plugins may also `register()` an area.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from threading import Lock
from typing import TypeVar

from domains import rule_kinds, simulation
from domains.model import Area, IndexSpec, Metric, RuleSpec

T = TypeVar("T")

_lock = Lock()
_areas: dict[str, Area] | None = None


class UnknownNameError(KeyError):
    """An area, metric, index or rule that is not in the registry; the message lists what is."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown name"


def _discover() -> dict[str, Area]:
    import domains

    found: dict[str, Area] = {}
    for info in sorted(pkgutil.iter_modules(domains.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"domains.{info.name}")
        area = getattr(module, "AREA", None)
        if isinstance(area, Area):
            validate(area)
            found[area.id] = area
    return found


def _registry() -> dict[str, Area]:
    global _areas
    with _lock:
        if _areas is None:
            _areas = _discover()
        return _areas


def validate(area: Area) -> None:
    """Fail loudly when an area's catalogue is inconsistent (an internal error, not user input)."""
    problems: list[str] = []
    metric_names = [m.name for m in area.metrics]
    index_ids = [i.id for i in area.indices]
    rule_ids = [r.id for r in area.rules]
    for kind, names in (("metric", metric_names), ("index", index_ids), ("rule", rule_ids)):
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            problems.append(f"duplicate {kind} names: {', '.join(dupes)}")
    subjects = set(metric_names) | set(index_ids)
    for index in area.indices:
        for needed in index.inputs:
            if needed.metric not in metric_names:
                problems.append(f"index {index.id} reads unknown metric {needed.metric}")
    for rule in area.rules:
        if rule.kind not in rule_kinds.KINDS:
            problems.append(f"rule {rule.id} has kind {rule.kind!r}, which no rule_kinds module implements")
        else:
            problems += rule_kinds.kind_of(rule).problems(rule, area)
        if rule.area != area.id:
            problems.append(f"rule {rule.id} says area {rule.area!r}, lives in {area.id!r}")
        if rule.subject not in subjects:
            problems.append(f"rule {rule.id} watches unknown metric or index {rule.subject!r}")
        unknown_kinds = [k for k in rule.device_kinds if k not in area.device_kinds]
        if area.device_kinds and unknown_kinds:
            problems.append(
                f"rule {rule.id} is scoped to unknown device kinds {', '.join(unknown_kinds)}; "
                f"known: {', '.join(sorted(area.device_kinds))}"
            )
    for metric in area.metrics:
        lo, hi = metric.plausible
        if not lo < hi:
            problems.append(f"metric {metric.name} has an empty plausible range {metric.plausible}")
    problems += simulation.problems(area)
    if problems:
        raise ValueError(f"area {area.id!r} is inconsistent: " + "; ".join(problems))


def register(area: Area) -> None:
    """Add (or replace) an area at run time, after validating it."""
    validate(area)
    registry = _registry()
    with _lock:
        registry[area.id] = area


def unregister(area_id: str) -> None:
    """Remove an area added with register() (tests use this to clean up)."""
    registry = _registry()
    with _lock:
        registry.pop(area_id, None)


def areas() -> tuple[Area, ...]:
    """Every known area, ordered by id."""
    registry = _registry()
    return tuple(registry[k] for k in sorted(registry))


def area(area_id: str) -> Area:
    """The area called `area_id`."""
    registry = _registry()
    try:
        return registry[area_id]
    except KeyError:
        raise UnknownNameError(
            f"unknown area {area_id!r}; known areas: {', '.join(sorted(registry))}"
        ) from None


def _named(kind: str, wanted: str, area_id: str, named: Sequence[tuple[str, T]]) -> T:
    """The item called `wanted` among an area's (name, item) pairs; UnknownNameError lists the names."""
    for name, item in named:
        if name == wanted:
            return item
    raise UnknownNameError(
        f"unknown {kind} {wanted!r} in area {area_id!r}; known: " + ", ".join(sorted(n for n, _ in named))
    )


def metric(area_id: str, name: str) -> Metric:
    """The metric `name` of area `area_id`."""
    return _named("metric", name, area_id, [(m.name, m) for m in area(area_id).metrics])


def index(area_id: str, index_id: str) -> IndexSpec:
    """The index `index_id` of area `area_id`."""
    return _named("index", index_id, area_id, [(i.id, i) for i in area(area_id).indices])


def rules() -> tuple[RuleSpec, ...]:
    """Every rule of every area, ordered by area then rule id."""
    return tuple(r for a in areas() for r in sorted(a.rules, key=lambda r: r.id))


def rule(rule_id: str) -> RuleSpec:
    """The rule with id `rule_id` (rule ids are unique across areas: `<area>.<name>`)."""
    for r in rules():
        if r.id == rule_id:
            return r
    raise UnknownNameError(f"unknown rule {rule_id!r}")
