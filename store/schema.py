"""sensegrid's tables, defined once with SQLAlchemy Core; the Alembic migrations build exactly this.

`tests/store/test_schema.py` compares a migrated database with this metadata, so the two cannot
drift apart. Queries on the hot path use psycopg directly; these definitions are the reference.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ALERT_STATES = ("pending", "firing", "acknowledged", "resolved")
OUTBOX_STATES = ("pending", "sent", "failed", "gave_up")


def _now() -> Column[object]:
    """A `created`-style timestamp column filled by the server."""
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


devices = Table(
    "devices",
    metadata,
    Column("id", Text, primary_key=True, comment="The device's MQTT client id."),
    Column("tenant", Text, nullable=False, server_default=text("'default'")),
    Column("domain", Text, nullable=False, comment="Area id from the domain registry."),
    Column("kind", Text, nullable=False, comment="Device kind, e.g. aq_station."),
    Column("name", Text, nullable=False, server_default=text("''")),
    Column("site", Text, nullable=False, server_default=text("''")),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("metadata", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column(
        "calibration",
        JSONB,
        nullable=False,
        server_default=text("'{}'::jsonb"),
        comment="Per metric: list of versions {effective_from, gain, offset, coefficients}.",
    ),
    Column("credentials_hash", Text),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _now(),
    Column("last_seen", DateTime(timezone=True)),
    Column("online", Boolean, comment="From the MQTT status topic / last will; NULL: never reported."),
    Column("status_at", DateTime(timezone=True), comment="When `online` last changed."),
    Column(
        "data_at",
        DateTime(timezone=True),
        comment="When readings of the device were last written (late ones too): views' cache key.",
    ),
)
Index(None, devices.c.tenant, devices.c.domain)
Index(None, devices.c.tenant, devices.c.site)

series = Table(
    "series",
    metadata,
    Column("id", Integer, Identity(always=False), primary_key=True),
    Column("device_id", Text, ForeignKey("devices.id", ondelete="CASCADE"), nullable=False),
    Column("metric", Text, nullable=False),
    _now(),
    UniqueConstraint("device_id", "metric"),
)

# No foreign key from readings to series: it would cost every COPY a lookup per row, and series
# rows are never deleted while readings exist (devices are deactivated, not removed).
readings = Table(
    "readings",
    metadata,
    Column("time", DateTime(timezone=True), nullable=False),
    Column("series_id", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("quality", SmallInteger, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("series_id", "time"),
)


def _rollup(name: str) -> Table:
    """A rollup table: per series and bucket, enough to merge late data exactly (sum, count...)."""
    return Table(
        name,
        metadata,
        Column("bucket", DateTime(timezone=True), nullable=False),
        Column("series_id", Integer, nullable=False),
        Column("count", Integer, nullable=False),
        Column("sum", Float, nullable=False),
        Column("min", Float, nullable=False),
        Column("max", Float, nullable=False),
        Column("last", Float, nullable=False),
        Column("last_time", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("series_id", "bucket"),
    )


readings_1m = _rollup("readings_1m")
readings_1h = _rollup("readings_1h")

ROLLUP_TABLES = {"1m": readings_1m, "1h": readings_1h}
TIME_PARTITIONED = {"readings": "time", "readings_1m": "bucket", "readings_1h": "bucket"}

alerts = Table(
    "alerts",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("fingerprint", Text, nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("area", Text, nullable=False),
    Column("tenant", Text, nullable=False),
    Column("device_id", Text),
    Column("site", Text, nullable=False, server_default=text("''")),
    Column("state", Text, nullable=False),
    Column("severity", SmallInteger, nullable=False),
    Column("level", Text, comment="Level code of the rung that fired, e.g. orange."),
    Column("value", Float),
    Column("labels", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("message_en", Text, nullable=False, server_default=text("''")),
    Column("message_zh", Text, nullable=False, server_default=text("''")),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("fired_at", DateTime(timezone=True)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", Text),
    Column("resolved_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(f"state IN {ALERT_STATES!r}", name="state"),
)
# One open alert per condition: the fingerprint is unique among alerts not yet resolved.
Index(
    "uq_alerts_open_fingerprint",
    alerts.c.fingerprint,
    unique=True,
    postgresql_where=text("state <> 'resolved'"),
)
Index(None, alerts.c.tenant, alerts.c.state, alerts.c.started_at)

alert_events = Table(
    "alert_events",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("alert_id", BigInteger, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", Text, nullable=False, comment="'system' or the user/API key that acted."),
    Column("old_state", Text),
    Column("new_state", Text, nullable=False),
    Column("old_severity", SmallInteger),
    Column("new_severity", SmallInteger),
    Column("value", Float),
    Column("note", Text, nullable=False, server_default=text("''")),
    Column("routed_at", DateTime(timezone=True), comment="When the notifier routed it to the outbox."),
)
Index(None, alert_events.c.alert_id, alert_events.c.at)
Index("ix_alert_events_unrouted", alert_events.c.id, postgresql_where=text("routed_at IS NULL"))

rule_overrides = Table(
    "rule_overrides",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("tenant", Text, nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("scope", Text, nullable=False, comment="tenant, site or device."),
    Column("scope_value", Text, nullable=False, server_default=text("''"), comment="Site or device id."),
    Column(
        "thresholds",
        JSONB,
        nullable=False,
        comment="Replacement rungs [{severity, value}]; optional for_s, clear_hysteresis, enabled.",
    ),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("scope IN ('tenant', 'site', 'device')", name="scope"),
    UniqueConstraint("tenant", "rule_id", "scope", "scope_value"),
)

silences = Table(
    "silences",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("tenant", Text, nullable=False),
    Column(
        "matchers",
        JSONB,
        nullable=False,
        comment="Which alerts it mutes: any of device_id, site, rule_id, area.",
    ),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("comment", Text, nullable=False, server_default=text("''")),
    _now(),
    CheckConstraint("ends_at > starts_at", name="window"),
)
Index(None, silences.c.tenant, silences.c.ends_at)

notification_outbox = Table(
    "notification_outbox",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("alert_event_id", BigInteger, ForeignKey("alert_events.id", ondelete="CASCADE")),
    Column("channel", Text, nullable=False, comment="webhook, mqtt or email."),
    Column("target", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("idempotency_key", Text, nullable=False, unique=True),
    Column("status", Text, nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_error", Text),
    _now(),
    Column("sent_at", DateTime(timezone=True)),
    CheckConstraint(f"status IN {OUTBOX_STATES!r}", name="status"),
)
Index(
    "ix_notification_outbox_due",
    notification_outbox.c.next_attempt_at,
    postgresql_where=text("status = 'pending'"),
)

rejected_messages = Table(
    "rejected_messages",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("topic", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("reason", Text, nullable=False, comment="Machine-readable reason code."),
    Column("detail", Text, nullable=False, comment="What was wrong, for a person."),
    Column("device_id", Text),
)
Index(None, rejected_messages.c.received_at)
Index(None, rejected_messages.c.reason, rejected_messages.c.received_at)

API_ROLES = ("viewer", "operator", "admin")

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", BigInteger, Identity(always=False), primary_key=True),
    Column("tenant", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True, comment="sha256 hex of the bearer token."),
    _now(),
    Column("revoked_at", DateTime(timezone=True)),
    CheckConstraint(f"role IN {API_ROLES!r}", name="role"),
)
