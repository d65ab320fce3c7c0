"""`sensegrid keys …`: create, list and revoke API keys."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from core.settings import get_settings
from store.api_keys import create_key, list_keys, revoke_key
from store.db import connect
from store.schema import API_ROLES

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.command("create")
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


@app.command("list")
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


@app.command("revoke")
def revoke(key_id: int = typer.Argument(..., help="Key id from `sensegrid keys list`.")) -> None:
    """Revoke a key: its token stops working at once."""
    with connect(get_settings().database_url, autocommit=True) as conn:
        if not revoke_key(conn, key_id):
            err.print(f"no live key {key_id}")
            raise typer.Exit(1)
    console.print(f"revoked key {key_id}")
