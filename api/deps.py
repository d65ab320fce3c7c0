"""Dependencies of the routes: settings, a pooled database connection, and the caller's API key."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio
import anyio.to_thread
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


class RequestConnections:
    """Hands the requests of one worker their connections, at most as many at once as the pool has.

    A request first waits on the event loop for a slot, so it never holds a worker thread while
    waiting for a connection (threads are few: `SENSEGRID_API_THREADS`; with requests holding
    every thread while waiting and the connections' holders waiting for a thread, nothing would
    move). With a slot it takes an idle connection on the loop, no thread hop; else it awaits one
    in a thread of the waiting's own limiter. Everything of the API that needs a connection takes
    it here (`connection()` for code that hands it to a thread: the alert stream's polls, CSV
    exports, readyz), so the slots count every connection in use."""

    def __init__(self, pool: ConnectionPool, slots: int) -> None:
        self.pool = pool
        self._slots = asyncio.Semaphore(slots)
        self._waiting = anyio.CapacityLimiter(slots)

    async def checkout(self) -> psycopg.Connection:
        await self._slots.acquire()
        try:
            if self.pool.get_stats().get("pool_available", 0) > 0:
                with contextlib.suppress(PoolTimeout):
                    return self.pool.getconn(timeout=0.005)  # a racing thread may take it first
            return await self._await_connection()
        except BaseException:
            self._slots.release()
            raise

    async def _await_connection(self) -> psycopg.Connection:
        """`pool.getconn()` in a thread; if the waiting request is cancelled (client gone, a
        timeout) the connection the thread still gets goes straight back to the pool."""
        lock = threading.Lock()
        taken: list[psycopg.Connection] = []
        abandoned = False

        def take() -> psycopg.Connection:
            conn = self.pool.getconn()
            with lock:
                if abandoned:
                    self.pool.putconn(conn)
                else:
                    taken.append(conn)
            return conn

        try:
            return await anyio.to_thread.run_sync(take, limiter=self._waiting)
        except BaseException:
            with lock:
                abandoned = True
                if taken:
                    self.pool.putconn(taken.pop())
            raise

    def checkin(self, conn: psycopg.Connection) -> None:
        try:
            self.pool.putconn(conn)  # the pool discards a broken one and restores autocommit (store.db)
        finally:
            self._slots.release()

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.Connection]:
        """A connection for code on the event loop that uses it in a thread; end any transaction
        (in the thread) before leaving."""
        conn = await self.checkout()
        try:
            yield conn
        finally:
            self.checkin(conn)


def get_connections(request: Request) -> RequestConnections:
    connections: RequestConnections = request.app.state.connections
    return connections


async def get_conn(request: Request) -> AsyncIterator[psycopg.Connection]:
    """One pooled connection for the request. The pool's connections commit each statement (reads
    need nothing more); a request that may write (POST, PATCH, PUT, DELETE) runs in one
    transaction, committed when the route returns and rolled back when it fails."""
    connections = get_connections(request)
    conn = await connections.checkout()
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
        connections.checkin(conn)


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
