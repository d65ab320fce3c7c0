"""`sensegrid api` (serve the HTTP API) and `sensegrid keys …` (manage API keys)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from core.logging import configure_logging
from core.settings import get_settings
from store.api_keys import create_key, list_keys, revoke_key
from store.db import connect
from store.schema import API_ROLES

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def api(
    host: str | None = typer.Option(None, help="Listen address (default SENSEGRID_API_HOST)."),
    port: int | None = typer.Option(None, help="Listen port (default SENSEGRID_API_PORT)."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Server processes; each has its own database pool of up to SENSEGRID_DB_POOL_MAX and one "
        "connection listening for API key changes. One per two cores when PostgreSQL shares the machine.",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI document at /docs and /openapi.json)."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "api.app:create_app",  # each worker process builds its app from the same SENSEGRID_* settings
        factory=True,
        workers=workers,
        host=host or settings.api_host,
        port=port or settings.api_port,
        access_log=False,  # api/access_log.py writes one structured line per request instead
        log_config=None,
    )


@keys_app.command("create")
def create(
    tenant: str = typer.Option(..., help="Tenant whose data the key may see."),
    role: str = typer.Option(..., help=f"One of {', '.join(API_ROLES)}."),
    name: str = typer.Option(..., help="Who or what uses the key (shown in logs and audit trails)."),
) -> None:
    """Create a key and print its token once (only its hash is stored)."""
    if role not in API_ROLES:
        raise typer.BadParameter(
            f"unknown role {role!r}; use one of {', '.join(API_ROLES)}", param_hint="--role"
        )
    if not tenant:
        raise typer.BadParameter("must not be empty", param_hint="--tenant")
    with connect(get_settings().database_url, autocommit=True) as conn:
        key, token = create_key(conn, tenant=tenant, role=role, name=name)
    err.print(f"created key {key.id} ({role}, tenant {tenant}); the token is shown only now:")
    print(token)


@keys_app.command("list")
def list_(tenant: str | None = typer.Option(None, help="Only keys of this tenant.")) -> None:
    """List keys (never their tokens)."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        keys = list_keys(conn, tenant)
    table = Table("id", "tenant", "role", "name", "created", "revoked")
    for k in keys:
        table.add_row(
            str(k.id), k.tenant, k.role, k.name, f"{k.created_at:%Y-%m-%d %H:%M}", str(k.revoked_at or "")
        )
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: int = typer.Argument(..., help="Key id from `sensegrid keys list`.")) -> None:
    """Revoke a key: its token stops working at once."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        if not revoke_key(conn, key_id):
            err.print(f"no live key {key_id}")
            raise typer.Exit(1)
    console.print(f"revoked key {key_id}")
