"""The MISSING_DATA kind: no reading for ``params["silence_s"]``, or the device reported offline."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from domains.conditions import Decision
from domains.model import Area, ConditionKind, RuleSpec, Severity, Text, Threshold
from domains.rule_kinds.base import Evidence, Verdict, WindowRead, param_number

if TYPE_CHECKING:
    from domains.simulation import ExpectedAlert


def is_silent(last_seen_epoch_s: float, now_epoch_s: float, silence_s: float) -> bool:
    """True once no reading has come for `silence_s` seconds (a device clock ahead is not silence)."""
    return now_epoch_s - last_seen_epoch_s >= silence_s


def evaluate_silence(rule: RuleSpec, last_seen_epoch_s: float, now_epoch_s: float) -> Decision:
    """A MISSING_DATA rule's decision: silent for `rule.params["silence_s"]` → the rule's severity.

    The severity is the highest of the rule's thresholds (their values are not used: the silence is
    in params), or WARNING for a rule without thresholds. For a device that never reported, pass
    the time it was registered as `last_seen_epoch_s`.
    """
    if rule.kind is not ConditionKind.MISSING_DATA:
        raise ValueError(f"rule {rule.id} is a {rule.kind} rule, not missing_data; use evaluate()")
    raw = rule.params.get("silence_s")
    if isinstance(raw, str) or raw is None:
        raise ValueError(f"missing_data rule {rule.id} needs a number params['silence_s'], got {raw!r}")
    silence_s = float(raw)
    elapsed = f"{now_epoch_s - last_seen_epoch_s:g}"
    if not is_silent(last_seen_epoch_s, now_epoch_s, silence_s):
        return Decision(
            None, None, Text(en=f"last reading {elapsed} s ago", zh=f"最近一次数据在 {elapsed} 秒前")
        )
    rung = max(rule.thresholds, key=lambda t: t.severity, default=None)
    severity = rung.severity if rung is not None else Severity.WARNING
    return Decision(
        severity,
        rung,
        Text(
            en=f"no reading for {elapsed} s (allowed {silence_s:g} s)",
            zh=f"已 {elapsed} 秒无数据（允许 {silence_s:g} 秒）",
        ),
    )


class MissingDataKind:
    """Judged on the device's last reading and online state, not on values; time alone changes it.

    It watches every device that reports its subject metric, and those that never reported when
    the area's catalogue says devices of their kind report it. An override's one rung is the
    silence in seconds. Dashboards show its silence per device kind.
    """

    kind = ConditionKind.MISSING_DATA
    compares_values = False
    rung_minimum = 1.0

    def problems(self, rule: RuleSpec, area: Area) -> list[str]:
        return []

    def reads(self, rule: RuleSpec, area: Area) -> tuple[WindowRead, ...]:
        return ()

    def input_metrics(self, rule: RuleSpec, area: Area) -> frozenset[str]:
        return frozenset({rule.subject})

    def applies(self, rule: RuleSpec, area: Area, device_kind: str, reported: Collection[str]) -> bool:
        if rule.subject in reported:
            return True
        metric = next((m for m in area.metrics if m.name == rule.subject), None)
        return metric is not None and device_kind in metric.device_kinds

    def judge(self, rule: RuleSpec, area: Area, evidence: Evidence, active: Severity | None) -> Verdict:
        now, last = evidence.now, evidence.last_seen
        note = ""
        seen = last
        # The broker announced the device gone (its last will, or an "offline" status): that is
        # silence now, whatever its last reading's age — unless the rule says going offline is normal
        # for the device (params["offline_is_silence"] = 0, e.g. a parked vehicle logging out).
        if evidence.online is False and rule.params.get("offline_is_silence", 1):
            silence = float(rule.params.get("silence_s", 0) or 0)
            seen = min(last, now - silence)
            note = "device reported offline"
        return Verdict(evaluate_silence(rule, seen, now), max(0.0, now - last), "s", note=note)

    def silence_s(self, rule: RuleSpec) -> float | None:
        return param_number(rule, "silence_s") or 0.0

    def check_rung_count(self, rule: RuleSpec, count: int) -> None:
        if count != 1:
            raise ValueError(
                f"{rule.id} is a missing-data rule: give one rung, its value the silence in seconds"
            )

    def with_rungs(self, rule: RuleSpec, thresholds: tuple[Threshold, ...]) -> RuleSpec:
        return replace(rule, thresholds=thresholds, params={**rule.params, "silence_s": thresholds[0].value})

    def drawn(self, rule: RuleSpec) -> RuleSpec | None:
        return None

    def scenario_problems(self, rule: RuleSpec, expected: ExpectedAlert, where: str) -> list[str]:
        if expected.clears_by_s is None:
            return [f"{where}: a silence alert clears when the device reports again; give clears_by_s"]
        return []
