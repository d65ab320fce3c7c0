"""The one settings object: every knob of sensegrid, read from `SENSEGRID_*` environment variables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """sensegrid's configuration. Each field is the env var `SENSEGRID_<FIELD>` (case-insensitive).

    The defaults fit one machine with PostgreSQL and Mosquitto on localhost.
    """

    model_config = SettingsConfigDict(env_prefix="SENSEGRID_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/sensegrid",
        description="PostgreSQL/TimescaleDB connection URL (libpq form). Several hosts reach an HA pair: "
        "postgresql://u@h1:5432,h2:5432/sensegrid?target_session_attrs=read-write (the writable one wins).",
    )
    mqtt_url: str = Field(
        default="mqtt://127.0.0.1:1883",
        description="MQTT broker URL: mqtt://[user:password@]host[:port] or mqtts:// for TLS.",
    )
    mqtt_protocol: Literal["5", "3.1.1"] = Field(
        default="5",
        description="MQTT version every sensegrid client speaks: 5, or 3.1.1 for brokers without MQTT 5 "
        "(such as the demo's embedded one): then ingest runs one worker on a plain subscription, its "
        "session kept by clean session off, with no session expiry or Receive Maximum.",
    )
    topic_prefix: str = Field(
        default="sensegrid", description="First level of every topic: <prefix>/<device_id>/telemetry."
    )
    ingest_batch_size: int = Field(default=5000, ge=1, description="Readings per database batch at most.")
    ingest_batch_latency_ms: int = Field(
        default=200, ge=1, description="Longest a reading waits in memory before its batch is written."
    )
    ingest_max_payload_bytes: int = Field(
        default=256 * 1024, ge=1, description="Messages larger than this are rejected."
    )
    ingest_max_future_s: int = Field(
        default=300, ge=0, description="Readings stamped further ahead than this are rejected."
    )
    timescaledb: Literal["auto", "on", "off"] = Field(
        default="auto",
        description=(
            "Use the TimescaleDB extension: auto (when the server has it), on (fail without it), "
            "off (plain PostgreSQL tables even where it is available)."
        ),
    )
    ingest_client_id: str = Field(
        default="sensegrid-ingest",
        description="MQTT client id stem of ingest workers (worker N uses <stem>-N; keep it stable "
        "so a restarted worker resumes its persistent session).",
    )
    ingest_shared_group: str = Field(
        default="sensegrid-ingest", description="MQTT 5 shared-subscription group of the ingest workers."
    )
    ingest_receive_maximum: int = Field(
        default=1000,
        ge=1,
        le=65535,
        description="Unacked QoS 1 messages the broker may have in flight to one worker (MQTT 5 "
        "Receive Maximum); also bounds what a worker buffers while the database is down.",
    )
    ingest_session_expiry_s: int = Field(
        default=7 * 86400, ge=0, description="How long the broker keeps a disconnected worker's session."
    )
    metrics_port: int = Field(
        default=0, ge=0, description="Port of the Prometheus /metrics endpoint of workers (0: off)."
    )
    retention_days: int = Field(
        default=90,
        ge=1,
        description="Days raw readings are kept: ingest rejects older ones, and on the full TimescaleDB a "
        "retention policy drops older chunks.",
    )
    rollup_retention_days: int = Field(
        default=730,
        ge=1,
        description="Days the 1-minute and 1-hour rollups are kept (a retention policy on the full "
        "TimescaleDB).",
    )
    compress_after_days: int = Field(
        default=7,
        ge=0,
        description="Raw readings chunks older than this many days are compressed by TimescaleDB "
        "(segmented by series, newest first); 0: no compression. Needs the full TimescaleDB with the "
        "Timescale License (the docker-compose image); elsewhere `sensegrid migrate` says it skipped it.",
    )
    db_pool_min: int = Field(default=1, ge=0, description="Connections kept open in the pool.")
    db_pool_max: int = Field(default=10, ge=1, description="Most connections the pool opens.")
    log_level: str = Field(default="INFO", description="Python logging level name.")
    alerts_tick_s: float = Field(
        default=5.0,
        gt=0,
        description="How often the alert evaluator re-checks time-based conditions (silent or offline "
        "devices, `for` durations, open alerts) and takes over shards a dead evaluator left.",
    )
    alerts_shards: int = Field(
        default=16,
        ge=1,
        le=4096,
        description="Shards the devices are split into by hash; every running evaluator holds some "
        "(PostgreSQL advisory locks). All evaluators of one database must use the same number.",
    )
    alerts_sweep_s: float = Field(
        default=300.0,
        ge=0,
        description="How often an evaluator re-evaluates every rule of every device it holds (also at "
        "start and when it takes a shard), catching readings stored while no evaluator listened; "
        "0: only then.",
    )
    alerts_series_max_points: int = Field(
        default=10_000,
        ge=2,
        description="Most raw points a rule's series window reads for one metric (the newest).",
    )
    alerts_max_age_s: int = Field(
        default=86_400,
        ge=60,
        description="A newest reading older than this is no current value: threshold rules see no "
        "data (and keep an open alert as it is; the area's missing-data rule speaks for silence).",
    )
    notify_routes: str = Field(
        default="[]",
        description='Who is told of which alerts: a JSON list of {"channel": "webhook"|"mqtt"|"email", '
        '"target": URL | topic prefix | addresses, "areas"?: [...], "min_severity"?: 1-4 or '
        'info|warning|major|critical, "sites"?: [...], "tenants"?: [...]} (see alerts/routing.py).',
    )
    notify_webhook_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Shared secret of the X-Sensegrid-Signature header (HMAC-SHA256 of the webhook body).",
    )
    notify_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="Longest one delivery may take: a webhook's answer, the broker's acknowledgement, "
        "each step of an SMTP conversation.",
    )
    notify_max_attempts: int = Field(
        default=12,
        ge=1,
        description="Delivery attempts before a notification is given up (status gave_up, reason kept); "
        "with the default backoff, about an hour of retrying.",
    )
    notify_backoff_s: float = Field(
        default=5.0, gt=0, description="Delay before the first retry; doubled after each failure (jittered)."
    )
    notify_backoff_max_s: float = Field(default=900.0, gt=0, description="Longest delay between two retries.")
    notify_workers: int = Field(
        default=4, ge=1, description="Deliveries one dispatcher runs at once (a slow target blocks only one)."
    )
    notify_poll_s: float = Field(
        default=1.0, gt=0, description="How often an idle dispatcher looks for new alert events and retries."
    )
    smtp_host: str = Field(default="", description="SMTP server for e-mail notifications ('' = no e-mail).")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_user: str = Field(default="", description="SMTP login ('' = send without logging in).")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_from: str = Field(default="sensegrid@localhost", description="From address of alert e-mails.")
    smtp_tls: Literal["starttls", "ssl", "off"] = Field(
        default="starttls",
        description="starttls (upgrade a plain connection, port 587), ssl (TLS from the start, port 465) "
        "or off (plain, only for a relay on the same machine).",
    )

    api_host: str = Field(default="127.0.0.1", description="Address the HTTP API listens on.")
    api_port: int = Field(default=8000, ge=1, le=65535, description="Port the HTTP API listens on.")
    api_cors_origins: str = Field(
        default="",
        description="Browser origins allowed to call the API (CORS), comma-separated; '' = none, '*' = any.",
    )
    api_max_body_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Request bodies larger than this are refused (413)."
    )
    api_view_cache_s: float = Field(
        default=5.0,
        ge=0,
        description="Longest a domain view (AQI, fog...) is served from an API worker's cache. A view is "
        "recomputed at once when its devices' readings or settings change; this bounds how long the "
        "clock moving its windows goes unnoticed. 0 = compute every request.",
    )
    api_threads: int = Field(
        default=4,
        ge=1,
        description="Worker threads per API process that run route code at once (the rest wait in "
        "order). Route code holds Python's GIL most of the time, so more threads add contention, not "
        "speed: a slow database or many clients are served by more processes (`sensegrid api --workers`).",
    )
    api_key_cache_s: float = Field(
        default=60.0,
        ge=0,
        description="Longest an API worker trusts a key it has verified without looking it up again. Any "
        "change to the keys (a revocation) clears every worker's cache at once through a database "
        "notification; while that listener is disconnected keys are looked up per request. 0 = always.",
    )
    api_silent_after_s: int = Field(
        default=900,
        ge=1,
        description="The API lists a device as silent when its last reading is older than this.",
    )
    grafana_url: str = Field(
        default="http://127.0.0.1:3000",
        description="Grafana that `sensegrid grafana push` uploads the dashboards to (its base URL).",
    )
    grafana_token: SecretStr = Field(
        default=SecretStr(""),
        description="Grafana service-account token (Editor role) `sensegrid grafana push` sends as Bearer.",
    )

    @property
    def mqtt_v5(self) -> bool:
        """True when the clients speak MQTT 5 (`mqtt_protocol`)."""
        return self.mqtt_protocol == "5"

    @property
    def mqtt(self) -> MqttEndpoint:
        """The broker address from `mqtt_url`."""
        return parse_mqtt_url(self.mqtt_url)


@dataclass(frozen=True)
class MqttEndpoint:
    """The broker address parts of `Settings.mqtt_url`."""

    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool


def parse_mqtt_url(url: str) -> MqttEndpoint:
    """Split mqtt://[user:password@]host[:port] (or mqtts:// for TLS) into its parts."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise ValueError(f"SENSEGRID_MQTT_URL must start with mqtt:// or mqtts://, got {url!r}")
    tls = parts.scheme in ("mqtts", "ssl")
    if not parts.hostname:
        raise ValueError(f"SENSEGRID_MQTT_URL has no host: {url!r}")
    return MqttEndpoint(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
