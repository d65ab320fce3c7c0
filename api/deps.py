"""Dependencies of the routes: settings, a pooled database connection, and the caller's API key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import psycopg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg_pool import ConnectionPool, PoolTimeout
from starlette.concurrency import run_in_threadpool

from api.key_cache import KeyCache
from api.problems import ProblemError
from api.view_cache import ViewCache
from core.settings import Settings
from store.api_keys import ApiKey, hash_token, key_for_token
from store.schema import API_ROLES

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    description="An API key: `Authorization: Bearer <token>`. Create one with "
    "`sensegrid keys create --tenant T --role viewer|operator|admin --name N`.",
)


# Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in the thread pool,
# a hop that costs more than they do.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_pool(request: Request) -> ConnectionPool:
    pool: ConnectionPool = request.app.state.pool
    return pool


async def get_view_cache(request: Request) -> ViewCache:
    cache: ViewCache = request.app.state.view_cache
    return cache


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def checkout(pool: ConnectionPool) -> psycopg.Connection:
    """A connection of the pool: taken on the event loop when one is idle (the common case, no
    thread hop), awaited in a worker thread when all are busy."""
    if pool.get_stats().get("pool_available", 0) > 0:
        try:
            return pool.getconn(timeout=0.05)  # another thread may take it first: wait briefly
        except PoolTimeout:
            pass
    return await run_in_threadpool(pool.getconn)


async def get_conn(request: Request) -> AsyncIterator[psycopg.Connection]:
    """One pooled connection for the request. The pool's connections commit each statement (reads
    need nothing more); a request that may write (POST, PATCH, PUT, DELETE) runs in one
    transaction, committed when the route returns and rolled back when it fails."""
    pool = get_pool(request)
    conn = await checkout(pool)
    writes = request.method not in READ_METHODS
    try:
        if writes:
            conn.autocommit = False
        yield conn
        if writes:
            await run_in_threadpool(conn.commit)
    except BaseException:
        if writes and not conn.closed:
            await run_in_threadpool(conn.rollback)
        raise
    finally:
        pool.putconn(conn)  # the pool discards a broken one and restores autocommit (store.db)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ViewCacheDep = Annotated[ViewCache, Depends(get_view_cache)]
# scope="function": the transaction commits (and the connection returns to the pool) before the
# response is sent, so a client that got 201 reads its own write on its next request.
Conn = Annotated[psycopg.Connection, Depends(get_conn, scope="function")]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, tenant and role."""

    key_id: int
    tenant: str
    role: str
    name: str

    @property
    def actor(self) -> str:
        return f"api-key:{self.key_id}:{self.name}"


async def verified_key(request: Request, conn: psycopg.Connection, token: str) -> ApiKey | None:
    """The live key of `token`: from the worker's cache of verified keys, else looked up (in a
    thread, on the request's connection) and remembered."""
    cache: KeyCache = request.app.state.key_cache
    token_hash = hash_token(token)
    key = cache.get(token_hash)
    if key is None:
        generation = cache.generation()
        key = await run_in_threadpool(key_for_token, conn, token)
        if key is not None:
            cache.put(token_hash, key, generation)
    return key


async def authenticate(
    request: Request,
    conn: Conn,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller's key; it shares the request's one connection (dependencies are cached per request)."""
    challenge = {"WWW-Authenticate": 'Bearer realm="sensegrid"'}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "send an API key as `Authorization: Bearer <token>` (create one with `sensegrid keys create`)",
            kind="unauthenticated",
            headers=challenge,
        )
    key = await verified_key(request, conn, credentials.credentials)
    if key is None:
        raise ProblemError(
            401, "the API key is unknown or revoked", kind="unauthenticated", headers=challenge
        )
    principal = Principal(key.id, key.tenant, key.role, key.name)
    request.state.principal = principal
    return principal


def require(role: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting keys of `role` or a higher one (viewer < operator < admin)."""
    needed = API_ROLES.index(role)

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if API_ROLES.index(principal.role) < needed:
            raise ProblemError(
                403,
                f"this needs a key with role {role} or higher; this key is {principal.role}",
                kind="forbidden",
            )
        return principal

    return check


Viewer = Annotated[Principal, Depends(require("viewer"))]
Operator = Annotated[Principal, Depends(require("operator"))]
Admin = Annotated[Principal, Depends(require("admin"))]
