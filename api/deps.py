"""Dependencies of the routes: settings, a pooled database connection, and the caller's API key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

import psycopg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg_pool import ConnectionPool

from api.problems import ProblemError
from api.view_cache import ViewCache
from core.settings import Settings
from store.api_keys import key_for_token
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


def get_conn(request: Request) -> Iterator[psycopg.Connection]:
    """One pooled connection for the request, committed when the route returns without error."""
    with get_pool(request).connection() as conn:
        yield conn


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


def authenticate(
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
    key = key_for_token(conn, credentials.credentials)
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
