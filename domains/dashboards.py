"""Dashboard specs: what each area shows on its Grafana dashboard, derived from its catalogue.

Nothing here is written per area: an area's metrics (grouped by device kind), the colours of its
indices' levels and the rungs of its metric rules are enough, so a seventh area gets a dashboard
without code elsewhere. The Grafana JSON itself is assembled in ``sensegrid.grafana``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from domains.model import Area, Direction, Level, Metric, RuleSpec, Severity, Text
from domains.rule_kinds import kind_of

# sensegrid's own convention for rungs without a standard colour (the standards' colours, when a
# Level has one, always win). Green/yellow/orange/red follow the order of the CMA warning signals.
SEVERITY_COLORS: Mapping[Severity, str] = {
    Severity.INFO: "#1E90FF",
    Severity.WARNING: "#FFFF00",
    Severity.MAJOR: "#FFA500",
    Severity.CRITICAL: "#FF0000",
}
SEVERITY_TITLES: Mapping[Severity, Text] = {
    Severity.INFO: Text(en="Info", zh="提示"),
    Severity.WARNING: Text(en="Warning", zh="警告"),
    Severity.MAJOR: Text(en="Major", zh="严重"),
    Severity.CRITICAL: Text(en="Critical", zh="危急"),
}
OK_COLOR = "#2E7D32"
NO_ALERT = Level(code="none", title=Text(en="No open alert", zh="无告警"), color=OK_COLOR)


def severity_level(severity: Severity) -> Level:
    """A stand-in Level for an alert whose rung names no level: coded ``severity_<n>``."""
    return Level(
        code=f"severity_{int(severity)}",
        title=SEVERITY_TITLES[severity],
        severity=severity,
        color=SEVERITY_COLORS[severity],
    )


@dataclass(frozen=True)
class Band:
    """From `start` upward (None: from minus infinity) a metric's value is shown in `color`."""

    start: float | None
    color: str


@dataclass(frozen=True)
class MetricPanel:
    """One metric's time series panel: the metric and the colour bands of the rules watching it."""

    metric: Metric
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class KindSection:
    """The metrics devices of one kind report, shown together under the kind's title."""

    kind: str
    title: Text
    panels: tuple[MetricPanel, ...]


@dataclass(frozen=True)
class AreaDashboard:
    """What an area's dashboard shows: sections per device kind, the level legend, silences."""

    area: Area
    sections: tuple[KindSection, ...]
    levels: tuple[Level, ...]  # every level a current-level cell can show, first by code wins
    silence_s: Mapping[str, int]  # per device kind: no data for this long means "silent"
    # the editions of the standards whose levels the current-level panels show (HJ633-2026), and a
    # note naming each index after its edition; empty / None when no index has an edition
    editions: tuple[str, ...] = ()
    levels_note: Text | None = None


def _rung_color(rule: RuleSpec, index: int) -> str:
    rung = rule.thresholds[index]
    return (rung.level.color if rung.level and rung.level.color else None) or SEVERITY_COLORS[rung.severity]


def _worst(rules: tuple[RuleSpec, ...], x: float) -> str:
    """The colour at value `x`: the most severe rung met by any rule (the first on ties)."""
    best: tuple[int, str] | None = None
    for rule in rules:
        for i, rung in enumerate(rule.thresholds):
            met = x >= rung.value if rule.direction is Direction.ABOVE else x <= rung.value
            if met and (best is None or rung.severity > best[0]):
                best = (int(rung.severity), _rung_color(rule, i))
    return best[1] if best else OK_COLOR


def metric_bands(rules: tuple[RuleSpec, ...]) -> tuple[Band, ...]:
    """Colour bands of a metric watched by `rules` (threshold and level-ladder rules on it).

    A rung is inclusive on its bad side, so an ABOVE rung starts its band at its value and a BELOW
    rung's band ends there: the next band starts at the next float up (which turns the rung values
    of :func:`domains.model.strictly_below` back into the standard's round limit). Starts are shown
    to 12 significant digits, so a value exactly on an inclusive BELOW rung (≤ 30) is drawn in the
    band above it: a display nicety, the rules themselves are exact.
    """
    starts = sorted(
        {
            rung.value if rule.direction is Direction.ABOVE else math.nextafter(rung.value, math.inf)
            for rule in rules
            for rung in rule.thresholds
        }
    )
    if not starts:
        return ()
    bands = [Band(None, _worst(rules, math.nextafter(starts[0], -math.inf)))]
    for start in starts:
        color = _worst(rules, start)
        if color != bands[-1].color:
            bands.append(Band(float(f"{start:.12g}"), color))
    return tuple(bands)


def _in_metric_values(area: Area, subject: str, metric: str) -> bool:
    """Whether a rule on `subject` compares values of `metric`: the metric itself, or an index that
    says it gives that metric's values (``IndexSpec.values_of``), so its rungs belong on the panel."""
    return subject == metric or any(i.id == subject and i.values_of == metric for i in area.indices)


def _metric_rules(area: Area, metric: str) -> tuple[RuleSpec, ...]:
    """The rules on `metric` as its panel draws them (each kind says whether and how)."""
    drawn = (kind_of(r).drawn(r) for r in area.rules if _in_metric_values(area, r.subject, metric))
    return tuple(r for r in drawn if r is not None)


def _levels(area: Area) -> tuple[Level, ...]:
    found: dict[str, Level] = {NO_ALERT.code: NO_ALERT}
    candidates = [lv for index in area.indices for lv in index.levels]
    candidates += [t.level for r in area.rules for t in r.thresholds if t.level is not None]
    candidates += [severity_level(s) for s in Severity]
    for level in candidates:
        found.setdefault(level.code, level)
    return tuple(found.values())


def _silences(area: Area) -> dict[str, int]:
    """Per device kind, the shortest silence of the area's rules judged on silence (missing data)."""
    silent = [(r, int(s)) for r in area.rules if (s := kind_of(r).silence_s(r)) is not None]
    shortest = min((s for _, s in silent), default=3600)
    kinds_of = {m.name: m.device_kinds for m in area.metrics}
    result: dict[str, int] = {}
    for rule, silence_s in silent:
        for kind in rule.device_kinds or kinds_of.get(rule.subject, ()):
            result[kind] = min(result.get(kind, silence_s), silence_s)
    return {kind: result.get(kind, shortest) for kind in sorted(set(area.device_kinds) | set(result))}


def _levels_note(area: Area) -> Text | None:
    """Which index and edition the levels come from, for indices with an edition (HJ 633), else None."""
    named = [i for i in area.indices if i.edition]
    if not named:
        return None
    return Text(
        en="Levels graded after: " + "; ".join(f"{i.title.en}, edition {i.edition}" for i in named) + ".",
        zh="等级依据：" + "；".join(f"{i.title.zh}，{i.edition} 版" for i in named) + "。",
    )


def area_dashboard(area: Area) -> AreaDashboard:
    """The dashboard spec of `area`, from its metrics, indices and rules."""
    shown: set[str] = set()
    sections: list[KindSection] = []
    other = Text(en="Other metrics", zh="其他指标")
    for kind in [*area.device_kinds, ""]:
        metrics = [m for m in area.metrics if m.name not in shown and (kind in m.device_kinds or not kind)]
        if not metrics:
            continue
        shown.update(m.name for m in metrics)
        title = area.device_kinds.get(kind, other)
        panels = tuple(MetricPanel(m, metric_bands(_metric_rules(area, m.name))) for m in metrics)
        sections.append(KindSection(kind or "other", title, panels))
    editions = tuple(dict.fromkeys(i.edition for i in area.indices if i.edition))
    return AreaDashboard(area, tuple(sections), _levels(area), _silences(area), editions, _levels_note(area))
