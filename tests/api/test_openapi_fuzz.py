"""Schemathesis against the app's own OpenAPI document: positive and negative cases, bounded.

No generated request may get a 5xx or a response that breaks the documented schema. Requests go
out through httpx (schemathesis' own requests transport does not work with the urllib3 fork
installed here) and every response is validated with schemathesis' response checks. "Schema-valid
data is accepted" is not among them: a device's kind must belong to its area in the domain
registry, which the OpenAPI document cannot express, so such a request is rightly refused (422).
Nor is "schema-violating data is rejected": in a query string every value is text, so a negative
case such as `?site=false` (meant as "not a string") is a valid site name and rightly answered.
"""

from __future__ import annotations

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from store.device_registry import NewDevice
from tests.api.conftest import KeyFactory
from tests.api.rig import Server, bearer, register

MAX_EXAMPLES = 300  # over all operations, per mode: a smoke run that fits CI
# The checks on one response; those that send requests of their own need schemathesis' requests
# transport and are left out.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def send(client: httpx.Client, case: Case, headers: dict[str, str]) -> httpx.Response:
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    body: dict[str, object] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        body["content"] = kwargs["data"]
    return client.request(
        kwargs["method"],
        kwargs["url"],
        headers=kwargs.get("headers"),
        params=kwargs.get("params"),
        **body,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_breaks_the_api_or_its_schema(
    server: Server,
    client: httpx.Client,
    make_key: KeyFactory,
    api_db: psycopg.Connection,
    mode: GenerationMode,
) -> None:
    register(api_db, NewDevice("fuzz-1", "environment", "aq_station", tenant="t-fuzz", site="s"))
    headers = bearer(make_key("t-fuzz", "admin"))
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def call(case: Case) -> None:
        response = send(client, case, headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
        case.validate_response(response, headers=headers, checks=CHECKS)

    call()
