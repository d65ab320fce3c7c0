"""Routing alert events into the outbox: each event once per route that wants it, filters by area,
severity and site, silenced and pending events never, and a route told of an alert hears its end."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from alerts.outbox import Dispatcher
from alerts.routing import RouteError, parse_routes
from core.settings import Settings
from domains.model import Severity
from store.db import connect
from tests.alerts.notify_rig import Receiver, add_alert, change, notify_settings, outbox

ALL = "http://127.0.0.1:9/all"
CITY_MAJOR = "http://127.0.0.1:9/city-major"
SITE_S2 = "http://127.0.0.1:9/site-s2"
ROUTES = [
    {"channel": "webhook", "target": ALL},
    {"channel": "webhook", "target": CITY_MAJOR, "areas": ["city"], "min_severity": "major"},
    {"channel": "webhook", "target": SITE_S2, "sites": ["s2"]},
]


@pytest.fixture
def dispatcher(migrated: Settings) -> Iterator[Dispatcher]:
    d = Dispatcher(notify_settings(migrated, ROUTES))
    yield d
    d.close()


def routed(db: psycopg.Connection) -> set[tuple[int, str]]:
    return {(r["alert_event_id"], r["target"]) for r in outbox(db)}


def test_each_event_is_routed_once_to_every_route_whose_area_severity_and_site_match(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    _, city_major = add_alert(db, area="city", severity=Severity.MAJOR, site="s1")
    _, city_warning = add_alert(db, area="city", severity=Severity.WARNING, site="s2")
    _, env_critical = add_alert(
        db, rule_id="environment.aqi", area="environment", severity=Severity.CRITICAL, site="s1"
    )

    assert dispatcher.route(db) == 3
    assert dispatcher.route(db) == 0, "routed events are not routed again"

    assert routed(db) == {
        (city_major, ALL),
        (city_major, CITY_MAJOR),
        (city_warning, ALL),
        (city_warning, SITE_S2),
        (env_critical, ALL),
    }
    rows = outbox(db)
    assert {r["idempotency_key"] for r in rows} == {f"{e}:webhook:{t}" for e, t in routed(db)}
    assert all(r["status"] == "pending" and r["attempts"] == 0 for r in rows)
    unrouted = db.execute("SELECT count(*) FROM alert_events WHERE routed_at IS NULL").fetchone()
    assert unrouted == (0,)


def test_payload_carries_the_alert_and_event_in_both_languages(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    alert_id, event_id = add_alert(db, device="vis-k100", site="s1", value=180.0)
    dispatcher.route(db)

    payload = next(r["payload"] for r in outbox(db) if r["target"] == ALL)
    event_time = db.execute("SELECT at FROM alert_events WHERE id = %s", (event_id,)).fetchone()
    fingerprint = db.execute("SELECT fingerprint FROM alerts WHERE id = %s", (alert_id,)).fetchone()
    assert event_time is not None and fingerprint is not None
    assert payload == payload | {
        "alert_id": alert_id,
        "event_id": event_id,
        "fingerprint": fingerprint[0],
        "rule_id": "city.fog_visibility",
        "area": "city",
        "tenant": "t1",
        "device": "vis-k100",
        "site": "s1",
        "state": "firing",
        "severity": 3,
        "severity_name": "major",
        "level": "orange",
        "value": 180.0,
        "title": {"en": "Fog", "zh": "大雾"},
        "message": {"en": "Visibility 180 m: limit 60 km/h", "zh": "能见度 180 米：限速 60 km/h"},
        "event_time": event_time[0].isoformat(),
    }
    assert "http" not in str(payload), "the payload carries no links"


def test_pending_and_silenced_events_are_never_sent(db: psycopg.Connection, migrated: Settings) -> None:
    receiver = Receiver()
    try:
        dispatcher = Dispatcher(notify_settings(migrated, [{"channel": "webhook", "target": receiver.url}]))
        # As the lifecycle writes them: already routed, so no dispatcher ever picks them up.
        add_alert(db, state="pending", routed=True)
        silenced, _ = add_alert(db, severity=Severity.CRITICAL, routed=True, note="silenced")
        change(db, silenced, "resolved", routed=True, note="silenced")

        routed_count, outcomes = dispatcher.run_once()
        dispatcher.close()
    finally:
        receiver.close()

    assert routed_count == 0
    assert outcomes == []
    assert outbox(db) == []
    assert receiver.requests == []


def test_route_told_of_an_alert_also_hears_its_de_escalation_and_resolution(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    fog, first = add_alert(db, severity=Severity.WARNING, level="yellow")
    escalated = change(db, fog, "firing", severity=Severity.MAJOR, level="orange")
    eased = change(db, fog, "firing", severity=Severity.WARNING, level="yellow")
    acked = change(db, fog, "acknowledged", actor="duty-officer")
    resolved = change(db, fog, "resolved")
    # A second alert that never reached major: the major-only route hears nothing of it.
    other, other_first = add_alert(db, severity=Severity.WARNING, device="vis-k105")
    other_resolved = change(db, other, "resolved")

    dispatcher.route(db)

    to_city_major = {e for e, t in routed(db) if t == CITY_MAJOR}
    assert to_city_major == {escalated, eased, acked, resolved}
    to_all = {e for e, t in routed(db) if t == ALL}
    assert to_all == {first, escalated, eased, acked, resolved, other_first, other_resolved}


def test_route_learns_of_escalation_across_routing_rounds(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    fog, _ = add_alert(db, severity=Severity.MAJOR)
    dispatcher.route(db)
    eased = change(db, fog, "firing", severity=Severity.WARNING)
    resolved = change(db, fog, "resolved")
    dispatcher.route(db)

    assert {eased, resolved} <= {e for e, t in routed(db) if t == CITY_MAJOR}


def test_acknowledged_alert_escalating_reaches_routes_of_the_higher_severity(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    fog, _ = add_alert(db, severity=Severity.WARNING, level="yellow")
    change(db, fog, "acknowledged", actor="duty-officer")
    worse = change(db, fog, "acknowledged", severity=Severity.MAJOR, level="orange")
    dispatcher.route(db)

    assert {e for e, t in routed(db) if t == CITY_MAJOR} == {worse}


def test_alert_muted_by_a_silence_is_announced_when_the_silence_ends(
    db: psycopg.Connection, dispatcher: Dispatcher
) -> None:
    # As the lifecycle writes it: changes under the silence already routed, then one announcement.
    fog, _ = add_alert(db, severity=Severity.MAJOR, routed=True, note="silenced")
    change(db, fog, "acknowledged", actor="duty-officer", routed=True, note="silenced")
    announced = change(db, fog, "acknowledged", note="silence ended")
    resolved = change(db, fog, "resolved")
    dispatcher.route(db)

    assert {e for e, t in routed(db) if t == CITY_MAJOR} == {announced, resolved}


def test_two_dispatchers_routing_at_once_route_every_event_exactly_once(
    db: psycopg.Connection, migrated: Settings
) -> None:
    with db.cursor() as cur:
        for i in range(40):
            alert_id, _ = add_alert(db, device=f"vis-{i}", site="s2")
            for _ in range(20):
                cur.execute(
                    "INSERT INTO alert_events (alert_id, actor, old_state, new_state, new_severity) "
                    "VALUES (%s, 'system', 'firing', 'firing', 3)",
                    (alert_id,),
                )
    events = 40 * 21
    settings = notify_settings(migrated, ROUTES)
    errors: list[BaseException] = []

    def route_until_done() -> None:
        try:
            d = Dispatcher(settings)
            deadline = time.monotonic() + 60
            with connect(settings.database_url, autocommit=True) as conn:
                while time.monotonic() < deadline:
                    d.route(conn)
                    left = conn.execute(
                        "SELECT count(*) FROM alert_events WHERE routed_at IS NULL"
                    ).fetchone()
                    if left == (0,):
                        return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=route_until_done) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    total, distinct = db.execute(
        "SELECT count(*), count(DISTINCT (alert_event_id, target)) FROM notification_outbox"
    ).fetchone()  # type: ignore[misc]
    # Every event: ALL, CITY_MAJOR (city, major) and SITE_S2 (site s2).
    assert total == distinct == events * 3


@pytest.mark.parametrize(
    ("routes", "complaint"),
    [
        ("{", "not valid JSON"),
        ('{"channel": "webhook"}', "must be a JSON list"),
        ('[{"channel": "sms", "target": "+8613800000000"}]', "channel must be one of webhook, mqtt, email"),
        ('[{"channel": "webhook"}]', "target is required"),
        ('[{"channel": "webhook", "target": "ops.example.com"}]', "http:// or https:// URL"),
        ('[{"channel": "email", "target": "duty"}]', "one or more addresses"),
        ('[{"channel": "mqtt", "target": "signs/#"}]', "topic prefix"),
        (
            '[{"channel": "webhook", "target": "https://x.example", "areas": ["mars"]}]',
            "unknown area(s) mars",
        ),
        (
            '[{"channel": "webhook", "target": "https://x.example", "areas": "city"}]',
            "list of non-empty strings",
        ),
        ('[{"channel": "webhook", "target": "https://x.example", "min_severity": "high"}]', "info, warning"),
        ('[{"channel": "webhook", "target": "https://x.example", "min_severity": 7}]', "1-4"),
        (
            '[{"channel": "webhook", "target": "https://x.example", "area": ["city"]}]',
            "unknown field(s) area",
        ),
    ],
)
def test_bad_routes_are_rejected_saying_what_is_accepted(routes: str, complaint: str) -> None:
    with pytest.raises(RouteError, match="SENSEGRID_NOTIFY_ROUTES") as caught:
        parse_routes(routes)
    assert complaint in str(caught.value)


def test_mqtt_route_without_target_uses_the_topic_prefix_and_severity_names_or_numbers_work() -> None:
    routes = parse_routes(
        '[{"channel": "mqtt", "min_severity": "Major"}, '
        '{"channel": "email", "target": "a@x.example, b@y.example", "min_severity": 4}]',
        default_topic_prefix="roads",
    )
    assert routes[0].target == "roads"
    assert routes[0].min_severity is Severity.MAJOR
    assert routes[1].min_severity is Severity.CRITICAL


def test_notify_routes_command_refuses_bad_routes_and_missing_secrets() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}

    def routes_command(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sensegrid.cli", "notify", "routes"],
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=60,
        )

    bad = routes_command(SENSEGRID_NOTIFY_ROUTES='[{"channel": "pager"}]')
    assert bad.returncode == 2
    assert "channel must be one of webhook, mqtt, email" in bad.stderr

    webhook = '[{"channel": "webhook", "target": "https://ops.example/hook", "areas": ["city"]}]'
    unsigned = routes_command(SENSEGRID_NOTIFY_ROUTES=webhook)
    assert unsigned.returncode == 2
    assert "SENSEGRID_NOTIFY_WEBHOOK_SECRET" in unsigned.stderr

    good = routes_command(SENSEGRID_NOTIFY_ROUTES=webhook, SENSEGRID_NOTIFY_WEBHOOK_SECRET="s3cret")
    assert good.returncode == 0, good.stderr
    assert "webhook → https://ops.example/hook; areas city" in good.stdout
