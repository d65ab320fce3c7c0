"""Alert shards: which evaluator session holds which devices, by advisory locks and one hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import psycopg

# Advisory-lock keys (two-int4 form): the first int names sensegrid's alert shards, the second
# packs the shard count and the shard, so evaluators configured with different counts never
# believe they hold the same devices. Shard 0xFFFF of a count is the membership lock every
# running evaluator holds shared, so they can count each other.
SHARD_LOCK_SPACE = 0x53470A1E
_MEMBER = 0xFFFF
MAX_SHARDS = 4096


def shard_of_sql(column: str) -> str:
    """The SQL expression of the shard of the device id in `column` among `%(shards)s` shards:
    the same hash as `device_shard`, the first 32 bits of the md5 of the device id."""
    return f"mod(('x' || substr(md5({column}), 1, 8))::bit(32)::bigint, %(shards)s)"


def device_shard(device_id: str, shards: int) -> int:
    """The shard of a device among `shards` (as the SQL queries compute it)."""
    return int(hashlib.md5(device_id.encode()).hexdigest()[:8], 16) % shards


def _lock_key(shards: int, shard: int) -> int:
    if not 1 <= shards <= MAX_SHARDS or not 0 <= shard < shards:
        raise ValueError(f"shard {shard} of {shards}: need 0 <= shard < shards <= {MAX_SHARDS}")
    return (shards << 16) | shard


def try_lock_shard(conn: psycopg.Connection, shards: int, shard: int) -> bool:
    """Take shard `shard` for this session if no other session holds it."""
    row = conn.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", (SHARD_LOCK_SPACE, _lock_key(shards, shard))
    ).fetchone()
    return bool(row and row[0])


def unlock_shard(conn: psycopg.Connection, shards: int, shard: int) -> None:
    """Give a shard back (another evaluator takes it on its next tick)."""
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", (SHARD_LOCK_SPACE, _lock_key(shards, shard)))


def join_evaluators(conn: psycopg.Connection, shards: int) -> None:
    """Count this session among the running evaluators (a shared lock; idempotent per session)."""
    conn.execute(
        "SELECT pg_advisory_lock_shared(%s, %s) WHERE NOT EXISTS (SELECT 1 FROM pg_locks "
        "WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = %s::oid "
        "AND objid = %s::oid AND objsubid = 2)",
        (SHARD_LOCK_SPACE, (shards << 16) | _MEMBER, SHARD_LOCK_SPACE, (shards << 16) | _MEMBER),
    )


@dataclass(frozen=True)
class ShardHolders:
    """Who holds what: the evaluator sessions running and the shards held by any session."""

    evaluators: int
    held: frozenset[int]


def shard_holders(conn: psycopg.Connection, shards: int) -> ShardHolders:
    """The evaluators of this database and shard count, and the shards they hold."""
    rows = conn.execute(
        "SELECT objid::bigint, pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND classid = %s::oid AND objsubid = 2 AND objid::bigint >> 16 = %s",
        (SHARD_LOCK_SPACE, shards),
    ).fetchall()
    members = {pid for key, pid in rows if key & 0xFFFF == _MEMBER}
    held = frozenset(int(key) & 0xFFFF for key, _ in rows if key & 0xFFFF != _MEMBER)
    return ShardHolders(evaluators=len(members), held=held)
