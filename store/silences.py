"""Silences (maintenance windows) as stored: create, list, the ones in force, end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class SilenceRow:
    """A maintenance window: alerts of `tenant` matching every matcher are not notified."""

    id: int
    tenant: str
    matchers: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    created_by: str
    comment: str
    created_at: datetime


_SILENCE_COLUMNS = "id, tenant, matchers, starts_at, ends_at, created_by, comment, created_at"


def insert_silence(
    conn: psycopg.Connection,
    tenant: str,
    matchers: Mapping[str, str],
    starts_at: datetime,
    ends_at: datetime,
    created_by: str,
    comment: str = "",
) -> SilenceRow:
    """Store a silence (validated by alerts.silences)."""
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"INSERT INTO silences (tenant, matchers, starts_at, ends_at, created_by, comment) "
            f"VALUES (%s, %s, %s, %s, %s, %s) RETURNING {_SILENCE_COLUMNS}",
            (tenant, Jsonb(dict(matchers)), starts_at, ends_at, created_by, comment),
        )
        row = cur.fetchone()
    assert row is not None
    return row


def list_silences(
    conn: psycopg.Connection, *, tenant: str | None = None, include_expired: bool = False
) -> list[SilenceRow]:
    """Silences not yet ended (or all of them), soonest ending first."""
    clauses = ["(%(tenant)s::text IS NULL OR tenant = %(tenant)s)"]
    if not include_expired:
        clauses.append("ends_at > now()")
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"SELECT {_SILENCE_COLUMNS} FROM silences WHERE {' AND '.join(clauses)} ORDER BY ends_at, id",
            {"tenant": tenant},
        )
        return cur.fetchall()


def active_silences(conn: psycopg.Connection, tenants: Iterable[str] | None = None) -> list[SilenceRow]:
    """Silences in force now (of these tenants)."""
    with conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"SELECT {_SILENCE_COLUMNS} FROM silences WHERE starts_at <= now() AND ends_at > now() "
            "AND (%(all)s OR tenant = ANY(%(tenants)s)) ORDER BY id",
            {"all": tenants is None, "tenants": sorted(set(tenants or ()))},
        )
        return cur.fetchall()


def end_silence(conn: psycopg.Connection, silence_id: int) -> SilenceRow | None:
    """End a silence now (one that has not started yet is deleted); None if there is no such
    silence or it had already ended."""
    with conn.transaction(), conn.cursor(row_factory=class_row(SilenceRow)) as cur:
        cur.execute(
            f"DELETE FROM silences WHERE id = %s AND starts_at >= now() RETURNING {_SILENCE_COLUMNS}",
            (silence_id,),
        )
        row = cur.fetchone()
        if row is None:
            cur.execute(
                f"UPDATE silences SET ends_at = now() WHERE id = %s AND ends_at > now() "
                f"RETURNING {_SILENCE_COLUMNS}",
                (silence_id,),
            )
            row = cur.fetchone()
        return row
