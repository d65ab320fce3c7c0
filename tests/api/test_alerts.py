"""Alerts through the API: list and filter, history, acknowledge and resolve, silences, rules and
overrides, every role, and a key of tenant A never seeing or touching tenant B's alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from alerts.lifecycle import fingerprint
from domains import registry
from store.alert_rows import get_alert
from store.alert_writes import AlertKey, AlertWrite, EventWrite, insert_alert, update_alert
from tests.api.conftest import KeyFactory
from tests.api.rig import bearer

RULE = "agriculture.drought"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def open_alert(
    db: psycopg.Connection,
    tenant: str,
    device_id: str,
    *,
    state: str = "firing",
    severity: int = 3,
    site: str = "field-1",
    rule_id: str = RULE,
    started: datetime = T0,
) -> int:
    """An alert as the lifecycle opens it: the row and its first event."""
    rule = registry.rule(rule_id)
    key = AlertKey(fingerprint(tenant, rule_id, device_id), rule_id, rule.area, tenant, device_id, site)
    labels = {"title_en": rule.title.en, "title_zh": rule.title.zh, "site": site, "device_id": device_id}
    write = AlertWrite(state, severity, "severe", 38.0, labels, "Soil moisture 38 %", "土壤湿度 38 %")
    event = EventWrite("system", None, state, None, severity, 38.0, "", True)
    alert_id = insert_alert(db, key, write, started.timestamp(), event)
    assert alert_id is not None
    return alert_id


def escalate(db: psycopg.Connection, alert_id: int, severity: int) -> None:
    """A severity change recorded by the evaluator (one more event)."""
    row = get_alert(db, alert_id)
    assert row is not None
    write = AlertWrite(row.state, severity, row.level, 30.0, row.labels, row.message_en, row.message_zh)
    event = EventWrite("system", row.state, row.state, row.severity, severity, 30.0, "", True)
    assert update_alert(db, alert_id, row.updated_at, write, event)


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["items"]]


def test_alerts_are_listed_newest_first_with_filters_and_cursor_pages(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    a1 = open_alert(api_db, "tenant-a", "d-1", severity=1, started=T0)
    a2 = open_alert(api_db, "tenant-a", "d-2", severity=3, site="field-2", started=T0 + timedelta(hours=1))
    a3 = open_alert(api_db, "tenant-a", "d-3", state="pending", severity=4, started=T0 + timedelta(hours=2))
    b1 = open_alert(api_db, "tenant-b", "d-9", severity=4)
    a = bearer(make_key("tenant-a", "viewer"))

    assert ids(client.get("/alerts", headers=a)) == [a3, a2, a1]
    assert ids(client.get("/alerts", params={"state": "firing"}, headers=a)) == [a2, a1]
    assert ids(client.get("/alerts", params={"state": ["pending", "firing"]}, headers=a)) == [a3, a2, a1]
    assert ids(client.get("/alerts", params={"severity": 3}, headers=a)) == [a3, a2]
    assert ids(client.get("/alerts", params={"site": "field-2"}, headers=a)) == [a2]
    assert ids(client.get("/alerts", params={"device_id": "d-1"}, headers=a)) == [a1]
    assert ids(client.get("/alerts", params={"area": "agriculture", "rule_id": RULE}, headers=a)) == [
        a3,
        a2,
        a1,
    ]
    assert ids(client.get("/alerts", params={"area": "city"}, headers=a)) == []
    window = {"start": (T0 + timedelta(minutes=30)).isoformat(), "end": (T0 + timedelta(hours=2)).isoformat()}
    assert ids(client.get("/alerts", params=window, headers=a)) == [a2]
    assert ids(client.get("/alerts", params={"device_id": "d-9"}, headers=a)) == []
    assert b1 not in ids(client.get("/alerts", params={"severity": 4}, headers=a))

    first = client.get("/alerts", params={"limit": 2}, headers=a).json()
    assert [x["id"] for x in first["items"]] == [a3, a2]
    second = client.get("/alerts", params={"limit": 2, "cursor": first["next_cursor"]}, headers=a).json()
    assert [x["id"] for x in second["items"]] == [a1]
    assert second["next_cursor"] is None

    item = client.get("/alerts", params={"device_id": "d-2"}, headers=a).json()["items"][0]
    assert item["title_zh"] == "农业干旱" and item["state"] == "firing" and item["severity"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "bm90LWFuLWlk"},
        {"severity": 5},
        {"state": "open"},
        {"start": T0.isoformat(), "end": T0.isoformat()},
    ],
)
def test_a_wrong_alert_query_is_a_problem_saying_what_was_wrong(
    client: httpx.Client, make_key: KeyFactory, params: dict[str, object]
) -> None:
    response = client.get("/alerts", params=params, headers=bearer(make_key("t", "viewer")))  # type: ignore[arg-type]
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"]


def test_one_alert_comes_with_its_event_history(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1", severity=2)
    escalate(api_db, alert_id, 4)
    body = client.get(f"/alerts/{alert_id}", headers=bearer(make_key("tenant-a", "viewer"))).json()
    assert body["id"] == alert_id and body["severity"] == 4
    assert [(e["old_severity"], e["new_severity"], e["actor"]) for e in body["events"]] == [
        (None, 2, "system"),
        (2, 4, "system"),
    ]
    missing = client.get("/alerts/999999", headers=bearer(make_key("tenant-a", "viewer")))
    assert missing.status_code == 404 and "no alert 999999" in missing.json()["detail"]


def test_an_operator_acknowledges_then_resolves_and_the_history_names_the_key(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1")
    op = bearer(make_key("tenant-a", "operator", name="duty-desk"))

    acked = client.post(f"/alerts/{alert_id}/ack", headers=op)
    assert acked.status_code == 200, acked.text
    assert acked.json()["state"] == "acknowledged" and acked.json()["acknowledged_by"] == "duty-desk"
    again = client.post(f"/alerts/{alert_id}/ack", headers=op)
    assert again.status_code == 409 and "acknowledged already by duty-desk" in again.json()["detail"]

    resolved = client.post(f"/alerts/{alert_id}/resolve", headers=op)
    assert resolved.status_code == 200 and resolved.json()["resolved_at"] is not None
    shown = client.get(f"/alerts/{alert_id}", headers=op).json()
    assert shown["state"] == "resolved"
    assert [(e["actor"], e["new_state"]) for e in shown["events"]] == [
        ("system", "firing"),
        ("duty-desk", "acknowledged"),
        ("duty-desk", "resolved"),
    ]
    for action in ("resolve", "ack"):
        late = client.post(f"/alerts/{alert_id}/{action}", headers=op)
        assert late.status_code == 409
        assert late.headers["content-type"] == "application/problem+json"
        assert "resolved already" in late.json()["detail"]
    assert (
        client.get("/alerts", params={"state": "resolved"}, headers=op).json()["items"][0]["id"] == alert_id
    )


def test_a_pending_alert_cannot_be_acknowledged_but_can_be_resolved(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1", state="pending")
    op = bearer(make_key("tenant-a", "operator"))
    refused = client.post(f"/alerts/{alert_id}/ack", headers=op)
    assert refused.status_code == 409 and "pending" in refused.json()["detail"]
    assert client.post(f"/alerts/{alert_id}/resolve", headers=op).json()["state"] == "resolved"


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_every_role_reads_alerts_but_only_operators_and_admins_act(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection, role: str
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1")
    key = bearer(make_key("tenant-a", role))
    assert ids(client.get("/alerts", headers=key)) == [alert_id]
    assert client.get(f"/alerts/{alert_id}", headers=key).status_code == 200
    assert client.get("/silences", headers=key).status_code == 200
    assert client.get("/rules", headers=key).status_code == 200
    assert client.get(f"/rules/{RULE}/overrides", headers=key).status_code == 200
    acked = client.post(f"/alerts/{alert_id}/ack", headers=key)
    silence = {
        "matchers": {"site": "field-1"},
        "ends_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
    }
    silenced = client.post("/silences", json=silence, headers=key)
    override = {"scope": "tenant", "override": {"for_s": 60}}
    overridden = client.put(f"/rules/{RULE}/overrides", json=override, headers=key)
    if role == "viewer":
        assert acked.status_code == 403 and "role operator or higher" in acked.json()["detail"]
        assert client.post(f"/alerts/{alert_id}/resolve", headers=key).status_code == 403
        assert silenced.status_code == 403
        assert client.delete("/silences/1", headers=key).status_code == 403
        assert get_alert(api_db, alert_id).state == "firing"  # type: ignore[union-attr]
    else:
        assert acked.status_code == 200 and silenced.status_code == 201
    if role == "admin":
        assert overridden.status_code == 200
    else:
        assert overridden.status_code == 403 and "role admin or higher" in overridden.json()["detail"]
        assert (
            client.delete(f"/rules/{RULE}/overrides", params={"scope": "tenant"}, headers=key).status_code
            == 403
        )


def test_without_a_key_alerts_are_refused(client: httpx.Client) -> None:
    for path in ("/alerts", "/alerts/1", "/silences", "/rules", f"/rules/{RULE}/overrides", "/alerts/stream"):
        assert client.get(path).status_code == 401
    assert client.post("/alerts/1/ack").status_code == 401


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_a_key_of_tenant_a_never_sees_or_touches_tenant_b_alerts(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection, role: str
) -> None:
    b_alert = open_alert(api_db, "tenant-b", "b-1", site="shared")
    a = bearer(make_key("tenant-a", role))
    assert ids(client.get("/alerts", headers=a)) == []
    assert ids(client.get("/alerts", params={"site": "shared"}, headers=a)) == []
    assert client.get(f"/alerts/{b_alert}", headers=a).status_code == 404
    if role != "viewer":
        for action in ("ack", "resolve"):
            refused = client.post(f"/alerts/{b_alert}/{action}", headers=a)
            assert refused.status_code == 404 and "in your tenant" in refused.json()["detail"]
    assert get_alert(api_db, b_alert).state == "firing"  # type: ignore[union-attr]
    b = bearer(make_key("tenant-b", "viewer"))
    assert ids(client.get("/alerts", headers=b)) == [b_alert]


def test_silences_are_set_listed_and_ended_per_tenant(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    op = bearer(make_key("tenant-a", "operator", name="maint"))
    soon = datetime.now(UTC) + timedelta(hours=2)
    created = client.post(
        "/silences",
        json={"matchers": {"site": "field-1"}, "ends_at": soon.isoformat(), "comment": "ploughing"},
        headers=op,
    )
    assert created.status_code == 201, created.text
    silence = created.json()
    assert silence["matchers"] == {"site": "field-1"} and silence["created_by"] == "maint"
    later = client.post(
        "/silences",
        json={
            "matchers": {"device_id": "d-1", "rule_id": RULE},
            "starts_at": (soon + timedelta(hours=1)).isoformat(),
            "ends_at": (soon + timedelta(hours=2)).isoformat(),
        },
        headers=op,
    ).json()
    assert [s["id"] for s in client.get("/silences", headers=op).json()] == [silence["id"], later["id"]]

    b = bearer(make_key("tenant-b", "operator"))
    assert client.get("/silences", headers=b).json() == []
    assert client.delete(f"/silences/{silence['id']}", headers=b).status_code == 404

    ended = client.delete(f"/silences/{silence['id']}", headers=op)
    assert ended.status_code == 200 and datetime.fromisoformat(ended.json()["ends_at"]) <= datetime.now(UTC)
    assert client.delete(f"/silences/{silence['id']}", headers=op).status_code == 404
    assert [s["id"] for s in client.get("/silences", headers=op).json()] == [later["id"]]
    everything = client.get("/silences", params={"include_expired": True}, headers=op).json()
    assert {s["id"] for s in everything} == {silence["id"], later["id"]}
    assert client.delete(f"/silences/{later['id']}", headers=op).status_code == 200  # not started: deleted
    assert (
        client.get("/silences", params={"include_expired": True}, headers=op).json()[0]["id"] == silence["id"]
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"matchers": {}}, "a silence needs matchers"),
        ({"matchers": {"colour": "red"}}, "body.matchers.colour"),
        ({"matchers": {"site": "  "}}, "matcher site must be a non-empty string"),
        ({"matchers": {"site": "x"}, "ends_at": "2020-01-01T00:00:00Z"}, "is in the past"),
        ({"matchers": {"site": "x"}, "ends_at": "2099-01-01T00:00:00"}, "has no time zone"),
        (
            {
                "matchers": {"site": "x"},
                "starts_at": "2099-02-01T00:00:00Z",
                "ends_at": "2099-01-01T00:00:00Z",
            },
            "must end after it starts",
        ),
    ],
)
def test_a_wrong_silence_is_refused_saying_why(
    client: httpx.Client, make_key: KeyFactory, body: dict[str, object], says: str
) -> None:
    full = {"ends_at": "2099-01-01T00:00:00Z", **body}
    response = client.post("/silences", json=full, headers=bearer(make_key("t", "operator")))
    assert response.status_code == 422
    assert says in response.json()["detail"]


def test_rules_are_listed_with_titles_thresholds_and_sources(
    client: httpx.Client, make_key: KeyFactory
) -> None:
    rules = client.get("/rules", headers=bearer(make_key("t", "viewer"))).json()
    assert [r["id"] for r in rules] == [r.id for r in registry.rules()]
    drought = next(r for r in rules if r["id"] == RULE)
    spec = registry.rule(RULE)
    assert drought["title_zh"] == spec.title.zh and drought["title_en"] == spec.title.en
    assert drought["kind"] == "level_ladder" and drought["for_s"] == spec.for_s and drought["source"]
    assert [(t["severity"], t["value"], t["level"]) for t in drought["thresholds"]] == [
        (int(t.severity), t.value, t.level.code if t.level else None) for t in spec.thresholds
    ]
    city = client.get("/rules", params={"area": "city"}, headers=bearer(make_key("t", "viewer"))).json()
    assert city and {r["area"] for r in city} == {"city"}


def test_an_admin_overrides_a_rule_per_scope_and_removes_it(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    admin = bearer(make_key("tenant-a", "admin", name="agronomist"))
    path = f"/rules/{RULE}/overrides"
    site = {
        "scope": "site",
        "scope_value": "field-1",
        "override": {"rungs": [{"severity": "major", "value": 45}]},
    }
    put = client.put(path, json=site, headers=admin)
    assert put.status_code == 200, put.text
    assert put.json()["override"] == {"rungs": [{"severity": "major", "value": 45.0}]}
    assert put.json()["updated_by"] == "agronomist"
    replaced = client.put(path, json={**site, "override": {"for_s": 0}}, headers=admin).json()
    assert replaced["id"] == put.json()["id"] and replaced["override"] == {"for_s": 0}
    client.put(path, json={"scope": "tenant", "override": {"enabled": False}}, headers=admin)
    listed = client.get(path, headers=admin).json()
    assert [(o["scope"], o["scope_value"]) for o in listed] == [("site", "field-1"), ("tenant", "")]

    b = bearer(make_key("tenant-b", "admin"))
    assert client.get(path, headers=b).json() == []
    assert client.delete(path, params={"scope": "tenant"}, headers=b).status_code == 404

    removed = client.delete(path, params={"scope": "site", "scope_value": "field-1"}, headers=admin)
    assert removed.status_code == 200 and removed.json()["scope"] == "site"
    assert (
        client.delete(path, params={"scope": "site", "scope_value": "field-1"}, headers=admin).status_code
        == 404
    )
    assert [o["scope"] for o in client.get(path, headers=admin).json()] == ["tenant"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"scope": "site", "override": {"for_s": 1}}, 422, "needs the site"),
        ({"scope": "tenant", "override": {"colour": 1}}, 422, "unknown override keys colour"),
        (
            {"scope": "tenant", "override": {"rungs": [{"severity": "huge", "value": 1}]}},
            422,
            "severity must be",
        ),
        ({"scope": "tenant", "override": {"for_s": -1}}, 422, "whole number of seconds"),
    ],
)
def test_a_wrong_override_is_refused_saying_why(
    client: httpx.Client, make_key: KeyFactory, body: dict[str, object], status: int, says: str
) -> None:
    response = client.put(f"/rules/{RULE}/overrides", json=body, headers=bearer(make_key("t", "admin")))
    assert response.status_code == status and says in response.json()["detail"]


def test_an_unknown_rule_has_no_overrides(client: httpx.Client, make_key: KeyFactory) -> None:
    admin = bearer(make_key("t", "admin"))
    response = client.put("/rules/no.such/overrides", json={"scope": "tenant", "override": {}}, headers=admin)
    assert response.status_code == 404 and "GET /rules" in response.json()["detail"]
    assert client.get("/rules/no.such/overrides", headers=admin).status_code == 404


def test_acting_is_instant_in_the_list(
    client: httpx.Client, make_key: KeyFactory, api_db: psycopg.Connection
) -> None:
    alert_id = open_alert(api_db, "tenant-a", "d-1")
    op = bearer(make_key("tenant-a", "operator"))
    client.post(f"/alerts/{alert_id}/ack", headers=op)
    assert ids(client.get("/alerts", params={"state": "acknowledged"}, headers=op)) == [alert_id]
    assert ids(client.get("/alerts", params={"state": "firing"}, headers=op)) == []
