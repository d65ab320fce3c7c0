"""Rule overrides as stored (`rule_overrides`): a rule's changed settings for a tenant, site or device."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class OverrideRow:
    """Changed thresholds (and for_s, hysteresis, enabled) of one rule for a tenant, site or device."""

    id: int
    tenant: str
    rule_id: str
    scope: str
    scope_value: str
    thresholds: Any
    updated_by: str
    updated_at: datetime


_OVERRIDE_COLUMNS = "id, tenant, rule_id, scope, scope_value, thresholds, updated_by, updated_at"


def upsert_override(
    conn: psycopg.Connection,
    tenant: str,
    rule_id: str,
    scope: str,
    scope_value: str,
    thresholds: object,
    updated_by: str,
) -> OverrideRow:
    """Store the override of a rule at one scope, replacing the one there (validated by alerts.overrides)."""
    with conn.cursor(row_factory=class_row(OverrideRow)) as cur:
        cur.execute(
            "INSERT INTO rule_overrides (tenant, rule_id, scope, scope_value, thresholds, updated_by) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (tenant, rule_id, scope, scope_value) DO UPDATE "
            "SET thresholds = EXCLUDED.thresholds, updated_by = EXCLUDED.updated_by, updated_at = now() "
            f"RETURNING {_OVERRIDE_COLUMNS}",
            (tenant, rule_id, scope, scope_value, Jsonb(thresholds), updated_by),
        )
        row = cur.fetchone()
    assert row is not None
    return row


def list_overrides(
    conn: psycopg.Connection, *, tenant: str | None = None, rule_id: str | None = None
) -> list[OverrideRow]:
    """Rule overrides, by tenant, rule and scope."""
    with conn.cursor(row_factory=class_row(OverrideRow)) as cur:
        cur.execute(
            f"SELECT {_OVERRIDE_COLUMNS} FROM rule_overrides WHERE (%(t)s::text IS NULL OR tenant = %(t)s) "
            "AND (%(r)s::text IS NULL OR rule_id = %(r)s) ORDER BY tenant, rule_id, scope, scope_value",
            {"t": tenant, "r": rule_id},
        )
        return cur.fetchall()


def delete_override(conn: psycopg.Connection, override_id: int) -> bool:
    """Remove an override (the rule's defaults, or a wider override, apply again)."""
    return conn.execute("DELETE FROM rule_overrides WHERE id = %s", (override_id,)).rowcount == 1
