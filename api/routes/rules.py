"""The rules of every area, and the caller's tenant's threshold overrides of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from alerts.overrides import remove_override, set_override
from api.deps import Admin, Conn, Viewer
from api.problems import ProblemError, body_refused
from api.schemas import OverrideIn, OverrideOut, OverrideScope, RuleOut, ThresholdOut
from domains import registry
from domains.model import RuleSpec
from store.rule_overrides import OverrideRow, list_overrides

router = APIRouter(prefix="/rules", tags=["alerts"])


def rule_out(rule: RuleSpec) -> RuleOut:
    return RuleOut(
        id=rule.id,
        area=rule.area,
        subject=rule.subject,
        kind=str(rule.kind),
        title_en=rule.title.en,
        title_zh=rule.title.zh,
        direction=str(rule.direction),
        thresholds=[
            ThresholdOut(
                severity=int(t.severity), value=t.value, level=t.level.code if t.level is not None else None
            )
            for t in rule.thresholds
        ],
        for_s=rule.for_s,
        clear_hysteresis=rule.clear_hysteresis,
        source=rule.source,
        configurable_default=rule.configurable_default,
    )


def override_out(row: OverrideRow) -> OverrideOut:
    doc = row.thresholds if isinstance(row.thresholds, dict) else {"rungs": row.thresholds}
    return OverrideOut(
        id=row.id,
        rule_id=row.rule_id,
        scope=row.scope,
        scope_value=row.scope_value,
        override=doc,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _rule(rule_id: str) -> RuleSpec:
    try:
        return registry.rule(rule_id)
    except KeyError:
        raise ProblemError(
            404, f"no rule {rule_id!r}; GET /rules lists every rule", kind="not-found"
        ) from None


@router.get("", response_model=list[RuleOut], summary="Every rule of every area, with its defaults")
def get_rules(
    principal: Viewer, area: Annotated[str | None, Query(description="Only this area's rules.")] = None
) -> list[RuleOut]:
    return [rule_out(r) for r in registry.rules() if area is None or r.area == area]


@router.get(
    "/{rule_id}/overrides", response_model=list[OverrideOut], summary="Your tenant's overrides of a rule"
)
def get_overrides(rule_id: str, principal: Viewer, conn: Conn) -> list[OverrideOut]:
    rule = _rule(rule_id)
    return [override_out(r) for r in list_overrides(conn, tenant=principal.tenant, rule_id=rule.id)]


@router.put(
    "/{rule_id}/overrides",
    response_model=OverrideOut,
    summary="Set the override of a rule at one scope (admin); replaces the one there",
)
def put_override(rule_id: str, body: OverrideIn, principal: Admin, conn: Conn) -> OverrideOut:
    rule = _rule(rule_id)
    with body_refused():
        row = set_override(
            conn,
            tenant=principal.tenant,
            rule_id=rule.id,
            scope=body.scope,
            scope_value=body.scope_value,
            document=body.override,
            updated_by=principal.name,
        )
    return override_out(row)


@router.delete(
    "/{rule_id}/overrides",
    response_model=OverrideOut,
    summary="Remove the override of a rule at one scope (admin); the wider one or the default applies",
)
def delete_override(
    rule_id: str,
    principal: Admin,
    conn: Conn,
    scope: Annotated[OverrideScope, Query(description="tenant, site or device.")],
    scope_value: Annotated[str, Query(description="'' for the tenant; else the site or device id.")] = "",
) -> OverrideOut:
    rule = _rule(rule_id)
    found = [
        r
        for r in list_overrides(conn, tenant=principal.tenant, rule_id=rule.id)
        if r.scope == scope and r.scope_value == scope_value
    ]
    if not found or not remove_override(conn, found[0].id):
        raise ProblemError(
            404,
            f"rule {rule.id} has no {scope} override{f' for {scope_value!r}' if scope_value else ''} "
            "in your tenant",
            kind="not-found",
        )
    return override_out(found[0])
