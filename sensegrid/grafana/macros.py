"""Grafana's PostgreSQL macros and template variables, expanded as Grafana expands them.

Grafana sends the database a query with its variables interpolated and its macros replaced
(Grafana documentation, "PostgreSQL data source", Macros and Templating). This module does the
same for a given time range, interval and variable values, so tests (and anyone previewing a
panel in psql) run exactly the SQL a dashboard would. Covered: ``$__timeFilter(col)``,
``$__timeFrom()``, ``$__timeTo()``, ``$__timeGroup(col, interval)``,
``$__timeGroupAlias(col, interval)`` (the datasource's TimescaleDB option off:
``floor(extract(epoch from col)/N)*N``), ``$__unixEpochFilter(col)``, ``$__interval``,
``$__interval_ms`` and ``$name`` / ``${name}`` / ``${name:sqlstring}`` / ``${name:raw}`` /
``${name:csv}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime


class MacroError(ValueError):
    """A macro or variable the expander does not know, or called with the wrong arguments."""


@dataclass(frozen=True)
class QueryContext:
    """What Grafana knows when it runs a panel's query: the range, the interval, the variables.

    `variables` maps a name to its selected values; names in `multi` are multi-value variables
    (their plain ``$name`` form is a quoted, comma-separated list, as Grafana's SQL datasources do).
    """

    time_from: datetime
    time_to: datetime
    interval_s: int = 60
    variables: Mapping[str, Sequence[str]] = field(default_factory=dict)
    multi: frozenset[str] = frozenset()


def format_interval(seconds: int) -> str:
    """Grafana's interval text: 30s, 5m, 1h, 1d."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def parse_interval(text: str) -> int:
    """Seconds of an interval argument such as '5m' or 1h (quotes optional)."""
    match = re.fullmatch(r"\s*'?(\d+)(ms|s|m|h|d|w)'?\s*", text)
    if not match:
        raise MacroError(f"interval {text!r} is not a number followed by ms, s, m, h, d or w")
    n, unit = int(match.group(1)), match.group(2)
    if unit == "ms":
        return max(1, n // 1000)
    return n * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _rfc3339(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _format(name: str, fmt: str | None, ctx: QueryContext) -> str:
    if name not in ctx.variables:
        raise MacroError(f"variable ${name} has no value; known: {', '.join(sorted(ctx.variables))}")
    values = list(ctx.variables[name])
    if fmt == "sqlstring" or (fmt is None and name in ctx.multi):
        return ",".join(_quote(v) for v in values)
    if fmt in (None, "raw", "csv"):
        return ",".join(values)
    raise MacroError(f"format :{fmt} of ${name} is not supported (sqlstring, raw, csv)")


_VARIABLE = re.compile(r"\$\{(\w+)(?::(\w+))?\}|\$(\w+)")
_MACRO = re.compile(r"\$__(\w+)\(([^()]*)\)")


def _args(text: str) -> list[str]:
    return [a.strip() for a in text.split(",")] if text.strip() else []


def _macro(name: str, args: list[str], ctx: QueryContext) -> str:
    if name == "timeFilter" and len(args) == 1:
        return f"{args[0]} BETWEEN '{_rfc3339(ctx.time_from)}' AND '{_rfc3339(ctx.time_to)}'"
    if name == "timeFrom" and not args:
        return f"'{_rfc3339(ctx.time_from)}'"
    if name == "timeTo" and not args:
        return f"'{_rfc3339(ctx.time_to)}'"
    if name in ("timeGroup", "timeGroupAlias") and len(args) in (2, 3):
        step = parse_interval(args[1])
        expr = f"floor(extract(epoch from {args[0]})/{step})*{step}"
        return expr + (' AS "time"' if name == "timeGroupAlias" else "")
    if name == "unixEpochFilter" and len(args) == 1:
        lo, hi = int(ctx.time_from.timestamp()), int(ctx.time_to.timestamp())
        return f"{args[0]} >= {lo} AND {args[0]} <= {hi}"
    raise MacroError(f"macro $__{name}({', '.join(args)}) is not supported or has the wrong arguments")


def expand(sql: str, ctx: QueryContext) -> str:
    """`sql` with variables interpolated, then macros replaced (Grafana's order)."""

    def variable(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(3)
        if name == "__interval":
            return format_interval(ctx.interval_s)
        if name == "__interval_ms":
            return str(ctx.interval_s * 1000)
        if name.startswith("__"):
            return m.group(0)  # a macro: replaced below
        return _format(name, m.group(2), ctx)

    interpolated = _VARIABLE.sub(variable, sql)
    return _MACRO.sub(lambda m: _macro(m.group(1), _args(m.group(2)), ctx), interpolated)
