"""What the server offers of TimescaleDB, and turning time-partitioned tables into hypertables."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from store.schema import TIME_PARTITIONED


@dataclass(frozen=True)
class TimescaleStatus:
    """Whether the extension can be used here, and what it is."""

    available: bool  # the server has the extension files
    preloaded: bool  # shared_preload_libraries includes timescaledb (needed to create it)
    installed_version: str | None  # version created in this database, if any
    license: str | None  # "apache" or "timescale" when installed

    @property
    def usable(self) -> bool:
        return self.installed_version is not None or (self.available and self.preloaded)


def status(conn: Connection) -> TimescaleStatus:
    """Inspect the server and the current database."""
    available = conn.execute(
        text("SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'")
    ).scalar_one()
    preload = conn.execute(text("SHOW shared_preload_libraries")).scalar_one()
    version = conn.execute(
        text("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
    ).scalar_one_or_none()
    license_ = None
    if version is not None:
        license_ = conn.execute(text("SHOW timescaledb.license")).scalar_one()
    return TimescaleStatus(
        available=bool(available),
        preloaded="timescaledb" in str(preload),
        installed_version=version,
        license=license_,
    )


def is_hypertable(conn: Connection, table: str) -> bool:
    """True when `table` is a TimescaleDB hypertable in this database."""
    if status(conn).installed_version is None:
        return False
    found = conn.execute(
        text("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = :t"),
        {"t": table},
    ).scalar_one()
    return bool(found)


def hypertables(conn: Connection) -> tuple[str, ...]:
    """sensegrid's time-partitioned tables that are hypertables in this database (none without
    TimescaleDB), in schema order."""
    return tuple(t for t in TIME_PARTITIONED if is_hypertable(conn, t))


class TimescaleUnavailableError(RuntimeError):
    """SENSEGRID_TIMESCALEDB=on but the server cannot provide the extension."""


def decide(conn: Connection, mode: str) -> bool:
    """Whether to use TimescaleDB for `mode` (auto/on/off) on this server; raises for on-but-absent."""
    st = status(conn)
    if mode == "off":
        return False
    if mode == "on" and not st.usable:
        raise TimescaleUnavailableError(
            "SENSEGRID_TIMESCALEDB=on but the server has no usable TimescaleDB extension "
            f"(installed files: {st.available}, in shared_preload_libraries: {st.preloaded}). "
            "Run deploy/services.sh as root, or set SENSEGRID_TIMESCALEDB=auto."
        )
    return st.usable
