"""Database URLs in the forms each driver wants, with one host or several (a primary and replicas).

A multi-host URL — ``postgresql://u@10.0.0.1:5432,10.0.0.2:5432/sensegrid?target_session_attrs=
read-write`` — is how a client finds the primary of a PostgreSQL HA pair (Patroni and the like):
libpq tries the hosts in turn and keeps the first that accepts writes. libpq and psycopg take such
a URL as it is; SQLAlchemy (migrations) takes the hosts as repeated ``host=`` query parameters.
URLs are split as text here, because a parser that reads one ``host:port`` (SQLAlchemy's
``make_url``) refuses the comma list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit


@dataclass(frozen=True)
class DatabaseUrl:
    """The parts of a PostgreSQL URL; `hosts` are ``host[:port]`` entries (empty: the local socket)."""

    userinfo: str
    hosts: tuple[str, ...]
    database: str
    query: str

    def _tail(self, extra: str = "") -> str:
        query = "&".join(q for q in (extra, self.query) if q)
        return f"/{self.database}" + (f"?{query}" if query else "")

    def _user(self) -> str:
        return f"{self.userinfo}@" if self.userinfo else ""

    def for_libpq(self) -> str:
        return f"postgresql://{self._user()}{','.join(self.hosts)}{self._tail()}"

    def for_sqlalchemy(self) -> str:
        if len(self.hosts) <= 1:
            return f"postgresql+psycopg://{self._user()}{''.join(self.hosts)}{self._tail()}"
        hosts = "&".join(f"host={h}" for h in self.hosts)
        return f"postgresql+psycopg://{self._user()}{self._tail(hosts)}"


def parse(url: str) -> DatabaseUrl:
    """Split a ``postgresql[+driver]://`` URL; ValueError naming what is accepted otherwise."""
    parts = urlsplit(url)
    if parts.scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise ValueError(
            f"a database URL starts with postgresql:// (optionally postgresql+psycopg://), got {url!r}"
        )
    userinfo, _, hostlist = parts.netloc.rpartition("@")
    hosts = tuple(h for h in hostlist.split(",") if h)
    return DatabaseUrl(userinfo, hosts, parts.path.lstrip("/"), parts.query)


def libpq_url(url: str) -> str:
    """The URL as libpq/psycopg expects it (drops a SQLAlchemy driver suffix if present)."""
    return parse(url).for_libpq()


def sqlalchemy_url(url: str) -> str:
    """The URL as SQLAlchemy expects it, on the psycopg 3 driver (several hosts as ``host=`` params)."""
    return parse(url).for_sqlalchemy()


def database_name(url: str) -> str:
    """The database part of a URL ('' when absent)."""
    return parse(url).database


def with_database(url: str, database: str) -> str:
    """The same server(s) and options, another database (libpq form)."""
    return replace(parse(url), database=database).for_libpq()


def redacted(url: str) -> str:
    """Any URL (database or broker) with its password shown as ***, for logs and listings."""
    parts = urlsplit(url)
    userinfo, at, hostlist = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{hostlist}").geturl()
