"""Silences (maintenance windows): which alerts are not notified while one is in force.

A silence belongs to a tenant and matches an alert when every matcher it gives equals the alert's
label: any of device_id, site, rule_id, area (Alertmanager-style, all must match). Alerts go on
being evaluated and recorded under a silence; only their events are marked routed with the note
'silenced', so the notifier skips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import psycopg

from store.silences import SilenceRow, end_silence, insert_silence

MATCHER_KEYS = ("device_id", "site", "rule_id", "area")


def parse_matchers(doc: object) -> dict[str, str]:
    """Validate matchers; ValueError says what was wrong and what is accepted."""
    if not isinstance(doc, Mapping) or not doc:
        raise ValueError(f"a silence needs matchers: an object with any of {', '.join(MATCHER_KEYS)}")
    unknown = sorted(set(doc) - set(MATCHER_KEYS))
    if unknown:
        raise ValueError(
            f"unknown silence matchers {', '.join(unknown)}; accepted: {', '.join(MATCHER_KEYS)}"
        )
    out: dict[str, str] = {}
    for key, value in doc.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"matcher {key} must be a non-empty string, got {value!r}")
        out[str(key)] = value.strip()
    return out


def matches(silence: SilenceRow, tenant: str, labels: Mapping[str, object]) -> bool:
    """Whether `silence` covers an alert of `tenant` with these labels (time is the caller's)."""
    return silence.tenant == tenant and all(labels.get(k) == v for k, v in silence.matchers.items())


def muting(silences: Iterable[SilenceRow], tenant: str, labels: Mapping[str, object]) -> SilenceRow | None:
    """The first silence in force that covers the alert, if any."""
    return next((s for s in silences if matches(s, tenant, labels)), None)


def create_silence(
    conn: psycopg.Connection,
    *,
    tenant: str,
    matchers: object,
    ends_at: datetime,
    created_by: str,
    starts_at: datetime | None = None,
    comment: str = "",
) -> SilenceRow:
    """Validate and store a silence from `starts_at` (default now) to `ends_at`."""
    parsed = parse_matchers(matchers)
    if not created_by.strip():
        raise ValueError("say who sets the silence (created_by)")
    start = starts_at or datetime.now(UTC)
    if start.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("silence times need a time zone (e.g. 2026-11-27T18:00:00+08:00)")
    if ends_at <= start:
        raise ValueError(
            f"a silence must end after it starts ({start.isoformat()}), got {ends_at.isoformat()}"
        )
    return insert_silence(conn, tenant, parsed, start, ends_at, created_by.strip(), comment)


def expire_silence(conn: psycopg.Connection, silence_id: int) -> SilenceRow:
    """End a silence now; LookupError when there is no such silence in force or to come."""
    row = end_silence(conn, silence_id)
    if row is None:
        raise LookupError(
            f"no silence {silence_id} in force or to come (see `sensegrid alerts silence list`)"
        )
    return row
