"""Rule overrides: other thresholds, `for`, hysteresis, or off, for one rule of a tenant, site or device.

An override is stored in `rule_overrides.thresholds` as a JSON document, every key optional::

    {"rungs": [{"severity": "major", "value": 180, "level": "orange"}],
     "for_s": 30, "clear_hysteresis": 20, "enabled": true}

(a bare list is short for ``{"rungs": [...]}``). `rungs` replace the rule's thresholds; a rung
keeps the level (name, colour, advice) of the rule's rung of the same `level` code, else of the
same severity. The rule's kind says what rungs mean (`domains.rule_kinds`): for a missing-data rule
the one rung's value is the silence in seconds. Scopes, from
least to most specific: tenant (scope value ''), site, device; for each key the most specific
override that sets it wins, so a tenant can lower a threshold and one device still wait longer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import psycopg

from domains import registry
from domains.model import Level, RuleSpec, Severity, Threshold
from domains.rule_kinds import kind_of
from store.rule_overrides import OverrideRow, delete_override, upsert_override

log = logging.getLogger("sensegrid.alerts")

SCOPES = ("tenant", "site", "device")  # least to most specific
_KEYS = ("rungs", "for_s", "clear_hysteresis", "enabled")
_SEVERITY_NAMES = {s.name.lower(): s for s in Severity}


@dataclass(frozen=True)
class Rung:
    """One replacement threshold."""

    severity: Severity
    value: float
    level: str | None = None


@dataclass(frozen=True)
class RuleOverride:
    """The parts of a rule an override changes (None: unchanged)."""

    rungs: tuple[Rung, ...] | None = None
    for_s: int | None = None
    clear_hysteresis: float | None = None
    enabled: bool | None = None

    def document(self) -> dict[str, object]:
        """The canonical JSON document stored for it."""
        doc: dict[str, object] = {}
        if self.rungs is not None:
            doc["rungs"] = [
                {"severity": r.severity.name.lower(), "value": r.value}
                | ({"level": r.level} if r.level else {})
                for r in self.rungs
            ]
        for key in ("for_s", "clear_hysteresis", "enabled"):
            if (value := getattr(self, key)) is not None:
                doc[key] = value
        return doc

    def over(self, wider: RuleOverride) -> RuleOverride:
        """This override laid over a less specific one: each key set here wins."""
        return RuleOverride(
            rungs=self.rungs if self.rungs is not None else wider.rungs,
            for_s=self.for_s if self.for_s is not None else wider.for_s,
            clear_hysteresis=self.clear_hysteresis
            if self.clear_hysteresis is not None
            else wider.clear_hysteresis,
            enabled=self.enabled if self.enabled is not None else wider.enabled,
        )


def _levels(rule: RuleSpec) -> dict[str, Level]:
    return {t.level.code: t.level for t in rule.thresholds if t.level is not None}


def _severity(raw: object, where: str) -> Severity:
    if isinstance(raw, str) and raw.strip().lower() in _SEVERITY_NAMES:
        return _SEVERITY_NAMES[raw.strip().lower()]
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in {int(s) for s in Severity}:
        return Severity(raw)
    accepted = ", ".join(f"{s.name.lower()} ({int(s)})" for s in Severity)
    raise ValueError(f"{where}: severity must be one of {accepted}, got {raw!r}")


def _number(raw: object, where: str, *, minimum: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw) or raw < minimum:
        raise ValueError(f"{where} must be a finite number ≥ {minimum:g}, got {raw!r}")
    return float(raw)


def _rungs(rule: RuleSpec, raw: object) -> tuple[Rung, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError('"rungs" must be a non-empty list of {"severity", "value"[, "level"]}')
    kind = kind_of(rule)
    kind.check_rung_count(rule, len(raw))
    levels = _levels(rule)
    out = []
    for i, item in enumerate(raw):
        where = f"rungs[{i}]"
        if not isinstance(item, dict) or not {"severity", "value"} <= item.keys() <= {
            "severity",
            "value",
            "level",
        }:
            raise ValueError(f'{where} must be {{"severity", "value"[, "level"]}}, got {item!r}')
        minimum = kind.rung_minimum
        level = item.get("level")
        if level is not None and level not in levels:
            known = ", ".join(sorted(levels)) or "none"
            raise ValueError(f"{where}: rule {rule.id} has no level {level!r}; its levels: {known}")
        out.append(
            Rung(
                _severity(item["severity"], where),
                _number(item["value"], f"{where} value", minimum=minimum),
                level,
            )
        )
    return tuple(out)


def parse_override(rule: RuleSpec, doc: object) -> RuleOverride:
    """Validate an override document for `rule`; ValueError says what was wrong and what is accepted."""
    if isinstance(doc, list):
        doc = {"rungs": doc}
    if not isinstance(doc, dict):
        raise ValueError(f"an override is a JSON object with any of {', '.join(_KEYS)}, got {doc!r}")
    unknown = sorted(set(doc) - set(_KEYS))
    if unknown:
        raise ValueError(f"unknown override keys {', '.join(unknown)}; accepted: {', '.join(_KEYS)}")
    enabled = doc.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise ValueError(f'"enabled" must be true or false, got {enabled!r}')
    for_s = doc.get("for_s")
    if for_s is not None and (isinstance(for_s, bool) or not isinstance(for_s, int) or for_s < 0):
        raise ValueError(f'"for_s" must be a whole number of seconds ≥ 0, got {for_s!r}')
    hysteresis = doc.get("clear_hysteresis")
    return RuleOverride(
        rungs=None if doc.get("rungs") is None else _rungs(rule, doc["rungs"]),
        for_s=for_s,
        clear_hysteresis=None if hysteresis is None else _number(hysteresis, '"clear_hysteresis"', minimum=0),
        enabled=enabled,
    )


def _threshold(rule: RuleSpec, rung: Rung) -> Threshold:
    """A replacement rung, keeping the level the rule gives that level code or severity."""
    level = _levels(rule).get(rung.level) if rung.level else None
    if level is None:
        level = next((t.level for t in rule.thresholds if t.severity == rung.severity), None)
    return Threshold(rung.severity, rung.value, level)


def _with_rungs(rule: RuleSpec, rungs: tuple[Rung, ...]) -> RuleSpec:
    """`rule` with an override's rungs, as its kind takes them (a missing-data rung is its silence)."""
    return kind_of(rule).with_rungs(rule, tuple(_threshold(rule, r) for r in rungs))


def apply_override(rule: RuleSpec, override: RuleOverride) -> RuleSpec | None:
    """`rule` as the override changes it; None when the override switches it off."""
    if override.enabled is False:
        return None
    changed = rule
    if override.rungs is not None:
        changed = _with_rungs(rule, override.rungs)
    if override.for_s is not None:
        changed = replace(changed, for_s=override.for_s)
    if override.clear_hysteresis is not None:
        changed = replace(changed, clear_hysteresis=override.clear_hysteresis)
    return changed


def _check_scope(scope: str, scope_value: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    if scope == "tenant" and scope_value:
        raise ValueError("a tenant-wide override has no scope value (give '')")
    if scope != "tenant" and not scope_value:
        raise ValueError(f"a {scope} override needs the {scope} it applies to")


def set_override(
    conn: psycopg.Connection,
    *,
    tenant: str,
    rule_id: str,
    scope: str,
    scope_value: str,
    document: object,
    updated_by: str,
) -> OverrideRow:
    """Validate and store an override (replacing the one of the same rule and scope)."""
    rule = registry.rule(rule_id)
    _check_scope(scope, scope_value)
    if not updated_by.strip():
        raise ValueError("say who changes the rule (updated_by)")
    parsed = parse_override(rule, document)
    return upsert_override(conn, tenant, rule_id, scope, scope_value, parsed.document(), updated_by)


def remove_override(conn: psycopg.Connection, override_id: int) -> bool:
    """Delete an override; False when there was none with that id."""
    return delete_override(conn, override_id)


class Overrides:
    """The overrides in force, looked up per rule and device (rows are parsed once)."""

    def __init__(self, rows: Iterable[OverrideRow]) -> None:
        self._rows: dict[tuple[str, str], list[OverrideRow]] = {}
        for row in rows:
            self._rows.setdefault((row.tenant, row.rule_id), []).append(row)
        self._parsed: dict[int, RuleOverride | None] = {}

    def _parse(self, rule: RuleSpec, row: OverrideRow) -> RuleOverride | None:
        if row.id not in self._parsed:
            try:
                self._parsed[row.id] = parse_override(rule, row.thresholds)
            except ValueError as exc:  # stored by hand or by an older version: ignore it, loudly
                log.error("ignoring rule override %d of %s: %s", row.id, rule.id, exc)
                self._parsed[row.id] = None
        return self._parsed[row.id]

    def combined(self, rule: RuleSpec, tenant: str, site: str, device_id: str) -> RuleOverride:
        """The override of `rule` for one device: tenant, then site, then device layered."""
        merged = RuleOverride()
        wanted = {"tenant": "", "site": site, "device": device_id}
        rows = sorted(self._rows.get((tenant, rule.id), ()), key=lambda r: SCOPES.index(r.scope))
        for row in rows:
            if row.scope_value == wanted[row.scope] and (parsed := self._parse(rule, row)) is not None:
                merged = parsed.over(merged)
        return merged

    def effective(self, rule: RuleSpec, tenant: str, site: str, device_id: str) -> RuleSpec | None:
        """`rule` as it applies to one device; None when switched off for it."""
        if (tenant, rule.id) not in self._rows:
            return rule
        return apply_override(rule, self.combined(rule, tenant, site, device_id))

    def shortest_silence_s(self, rules: Iterable[RuleSpec]) -> float | None:
        """The shortest silence any override's rungs set for these rules judged on silence (None: none
        does)."""
        found: list[float] = []
        for rule in rules:
            kind = kind_of(rule)
            for (_, rule_id), rows in self._rows.items():
                if rule_id == rule.id:
                    parsed = (self._parse(rule, row) for row in rows)
                    changed = (_with_rungs(rule, p.rungs) for p in parsed if p is not None and p.rungs)
                    found += [s for c in changed if (s := kind.silence_s(c)) is not None]
        return min(found, default=None)
