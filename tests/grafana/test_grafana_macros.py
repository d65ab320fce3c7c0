"""The macro expander turns Grafana's PostgreSQL macros and variables into the SQL Grafana sends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sensegrid.grafana.macros import MacroError, QueryContext, expand, format_interval, parse_interval

CTX = QueryContext(
    time_from=datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
    time_to=datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
    interval_s=300,
    variables={"tenant": ["t1", "o'hara"], "granularity": ["1h"], "site": ["north"]},
    multi=frozenset({"tenant", "site"}),
)


def test_time_filter_is_a_between_of_the_range_in_utc() -> None:
    assert expand("WHERE $__timeFilter(r.bucket)", CTX) == (
        "WHERE r.bucket BETWEEN '2026-03-01T00:00:00Z' AND '2026-03-01T06:30:00Z'"
    )


def test_time_from_and_to_are_quoted_timestamps() -> None:
    assert expand("$__timeFrom() .. $__timeTo()", CTX) == "'2026-03-01T00:00:00Z' .. '2026-03-01T06:30:00Z'"


def test_time_group_alias_floors_epoch_seconds_to_the_interval() -> None:
    sql = expand("SELECT $__timeGroupAlias(bucket, $__interval)", CTX)
    assert sql == 'SELECT floor(extract(epoch from bucket)/300)*300 AS "time"'
    assert expand("$__timeGroup(t, '1h')", CTX) == "floor(extract(epoch from t)/3600)*3600"


def test_interval_variables() -> None:
    assert expand("$__interval / $__interval_ms", CTX) == "5m / 300000"
    assert [format_interval(s) for s in (30, 60, 7200, 86400, 90)] == ["30s", "1m", "2h", "1d", "90s"]
    assert [parse_interval(t) for t in ("'5m'", "1h", "30s", "2d", "1w")] == [300, 3600, 30, 172800, 604800]


def test_sqlstring_quotes_every_value_and_doubles_quotes() -> None:
    assert expand("IN (${tenant:sqlstring})", CTX) == "IN ('t1','o''hara')"


def test_plain_multi_value_variable_is_quoted_and_single_value_is_raw() -> None:
    assert expand("IN ($site) FROM readings_$granularity", CTX) == "IN ('north') FROM readings_1h"
    assert expand("readings_${granularity:raw}", CTX) == "readings_1h"


def test_unix_epoch_filter() -> None:
    lo, hi = int(CTX.time_from.timestamp()), int(CTX.time_to.timestamp())
    assert expand("$__unixEpochFilter(ts)", CTX) == f"ts >= {lo} AND ts <= {hi}"


def test_unknown_variable_or_macro_fails_with_what_is_known() -> None:
    with pytest.raises(MacroError, match="known: granularity, site, tenant"):
        expand("$device", CTX)
    with pytest.raises(MacroError, match="not supported"):
        expand("$__timeSomething(x)", CTX)
    with pytest.raises(MacroError, match="interval"):
        expand("$__timeGroupAlias(x, soon)", CTX)
