"""Epoch seconds as the UTC datetimes the queries bind: the one conversion every store module uses."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_datetime(epoch: float) -> datetime:
    """`epoch` (seconds since 1970, UTC) as an aware datetime in UTC."""
    return datetime.fromtimestamp(epoch, UTC)
