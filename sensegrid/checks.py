"""The checks behind `sensegrid doctor`: that the database and the broker sensegrid is configured for work."""

from __future__ import annotations

import platform
import threading
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from core.settings import Settings
from sensegrid import __version__
from store.db_url import libpq_url
from store.migrate import head_revision
from store.readiness import inspect_database


@dataclass
class Finding:
    """One line of the doctor's report; `ok=False` makes the command fail."""

    what: str
    detail: str
    ok: bool = True


@dataclass
class DoctorReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, what: str, detail: str, ok: bool = True) -> None:
        self.findings.append(Finding(what, detail, ok))


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(libpq_url(url)).render_as_string(hide_password=True)


def check_database(settings: Settings, report: DoctorReport) -> None:
    where = _redact(settings.database_url)
    try:
        db = inspect_database(settings.database_url)
    except Exception as exc:  # every failure to reach the database is reported, not raised
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        report.add(
            "database",
            f"cannot connect to {where}: {first_line}. Check SENSEGRID_DATABASE_URL, that PostgreSQL "
            "is running (deploy/services.sh starts it) and that the database exists "
            "(`sensegrid migrate` creates it).",
            ok=False,
        )
        return
    report.add("database", f"{where} — PostgreSQL {db.server_version}")
    ts = db.timescale
    if ts.installed_version:
        report.add("timescaledb", f"{ts.installed_version} installed, license {ts.license}")
    elif ts.available and ts.preloaded:
        report.add("timescaledb", "available on the server, not created in this database")
    elif ts.available:
        report.add("timescaledb", "installed on the server but not in shared_preload_libraries")
    else:
        report.add("timescaledb", "absent: plain PostgreSQL tables are used")
    if settings.timescaledb == "on" and not ts.installed_version:
        report.add("timescaledb", "SENSEGRID_TIMESCALEDB=on but the extension is not in use", ok=False)
    head = head_revision()
    if db.schema_revision is None:
        report.add("schema", f"not migrated (newest is {head}): run `sensegrid migrate`", ok=False)
    elif db.schema_revision != head:
        report.add("schema", f"at {db.schema_revision}, newest is {head}: run `sensegrid migrate`", ok=False)
    else:
        tables = ", ".join(db.hypertables) if db.hypertables else "none (plain tables)"
        report.add("schema", f"at {head} (newest); hypertables: {tables}")


def check_broker(settings: Settings, report: DoctorReport, timeout_s: float = 5.0) -> None:
    try:
        endpoint = settings.mqtt
    except ValueError as exc:
        report.add("broker", str(exc), ok=False)
        return
    where = f"{endpoint.host}:{endpoint.port}"
    connected = threading.Event()
    got_version = threading.Event()
    outcome: dict[str, str] = {}

    def on_connect(client: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        outcome["reason"] = str(reason)
        connected.set()
        if not getattr(reason, "is_failure", False):
            client.subscribe("$SYS/broker/version")

    def on_message(_c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        outcome["version"] = msg.payload.decode("utf-8", "replace")
        got_version.set()

    protocol = MQTTProtocolVersion.MQTTv5 if settings.mqtt_v5 else MQTTProtocolVersion.MQTTv311
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=protocol)
    client.on_connect = on_connect
    client.on_message = on_message
    if endpoint.username:
        client.username_pw_set(endpoint.username, endpoint.password)
    if endpoint.tls:
        client.tls_set()
    try:
        client.connect(endpoint.host, endpoint.port, keepalive=10)
    except OSError as exc:
        report.add(
            "broker",
            f"cannot connect to {where}: {exc}. Check SENSEGRID_MQTT_URL and that Mosquitto is running "
            "(deploy/services.sh starts it).",
            ok=False,
        )
        return
    client.loop_start()
    try:
        if not connected.wait(timeout_s):
            report.add("broker", f"{where} accepted TCP but sent no CONNACK in {timeout_s:g}s", ok=False)
            return
        if outcome.get("reason") != "Success":
            hint = ""
            if settings.mqtt_v5 and outcome.get("reason") == "Unsupported protocol version":
                hint = " (a broker without MQTT 5: set SENSEGRID_MQTT_PROTOCOL=3.1.1)"
            report.add("broker", f"{where} refused the connection: {outcome.get('reason')}{hint}", ok=False)
            return
        got_version.wait(2.0)
        speaks = f"MQTT {settings.mqtt_protocol} broker (version not published)"
        report.add("broker", f"{where} — {outcome.get('version', speaks)}")
    finally:
        client.disconnect()
        client.loop_stop()


def run_doctor(settings: Settings) -> DoctorReport:
    """Check everything sensegrid needs; the report says what is wrong and how to fix it."""
    report = DoctorReport()
    report.add("sensegrid", f"{__version__} on Python {platform.python_version()}")
    check_database(settings, report)
    check_broker(settings, report)
    return report
