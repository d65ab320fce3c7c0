"""A rule of the exceedance_count kind through the API: listed with its kind and rungs, overridden."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import KeyFactory
from tests.api.rig import bearer
from tests.domains.test_exceedance_count import GAS_REPEATS, city_with

PATH = f"/rules/{GAS_REPEATS.id}/overrides"


@pytest.fixture
def gas_rule() -> Iterator[None]:
    with city_with(GAS_REPEATS):
        yield


def test_the_count_rule_is_listed_with_its_kind_and_count_rungs(
    gas_rule: None, client: httpx.Client, make_key: KeyFactory
) -> None:
    rules = client.get("/rules", params={"area": "city"}, headers=bearer(make_key("t", "viewer"))).json()
    listed = next(r for r in rules if r["id"] == GAS_REPEATS.id)
    assert listed["kind"] == "exceedance_count" and listed["configurable_default"] is True
    assert [(t["severity"], t["value"], t["level"]) for t in listed["thresholds"]] == [(3, 4.0, None)]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["RuleOut"]
    assert "exceedance_count" in schema["properties"]["kind"]["description"]


def test_an_admin_overrides_the_count_and_a_count_below_one_is_refused(
    gas_rule: None, client: httpx.Client, make_key: KeyFactory
) -> None:
    admin = bearer(make_key("t", "admin", name="tunnel operator"))
    body = {"scope": "site", "scope_value": "T1", "override": {"rungs": [{"severity": "major", "value": 6}]}}
    put = client.put(PATH, json=body, headers=admin)
    assert put.status_code == 200, put.text
    assert put.json()["override"] == {"rungs": [{"severity": "major", "value": 6.0}]}
    refused = client.put(
        PATH, json={**body, "override": {"rungs": [{"severity": "major", "value": 0}]}}, headers=admin
    )
    assert refused.status_code == 422 and "≥ 1" in refused.json()["detail"]
