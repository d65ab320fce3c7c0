"""`sensegrid mqtt credentials`: the broker's password file and ACL, generated from the device registry."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import typer
from rich.console import Console

from alerts.routing import RouteError, routes_from_settings
from core.logging import configure_logging
from core.settings import Settings, get_settings
from sensegrid.mqtt_credentials import (
    ACL_FILE,
    NEW_PASSWORDS_FILE,
    PASSWORD_FILE,
    USERNAME_RULE,
    ServiceAccount,
    acl_file,
    alerts_account,
    hash_password,
    ingest_account,
    is_mosquitto_hash,
    new_password,
    password_file,
    valid_username,
    write_private,
)
from store.db import connect
from store.device_credentials import active_device_credentials, set_credentials_hashes

app = typer.Typer(help="MQTT broker security (Mosquitto password file and ACL).", no_args_is_help=True)
console = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]mqtt credentials:[/red] {message}")
    return typer.Exit(code)


def _service_password(env: str, account: str) -> str:
    password = os.environ.get(env, "")
    if not password:
        raise _fail(
            f"the {account} account's password is read from the environment variable {env}, which is "
            "not set (or empty): set it to the password that service has in its SENSEGRID_MQTT_URL"
        )
    return password


def _owner(spec: str | None) -> tuple[int, int] | None:
    if spec is None:
        return None
    uid, _, gid = spec.partition(":")
    if not uid.isdigit() or (gid and not gid.isdigit()):
        raise _fail(f"--file-owner must be UID or UID:GID in numbers (e.g. 1883:1883), got {spec!r}")
    return int(uid), int(gid or uid)


def _alert_topic_prefixes(settings: Settings) -> list[str]:
    try:
        routes = routes_from_settings(settings)
    except RouteError as exc:
        raise _fail(f"bad SENSEGRID_NOTIFY_ROUTES: {exc}") from None
    return [f"{settings.topic_prefix}/alerts", *(r.target for r in routes if r.channel == "mqtt")]


@app.command("credentials")
def credentials(
    out: Path = typer.Option(
        Path("mosquitto-auth"),
        "--out",
        help=f"Directory for {PASSWORD_FILE} (Mosquitto password_file), {ACL_FILE} (acl_file) and "
        f"{NEW_PASSWORDS_FILE} (this run's new device passwords, mode 0600).",
    ),
    ingest_user: str = typer.Option("ingest", help="Broker login of the ingest workers."),
    ingest_password_env: str = typer.Option(
        "SENSEGRID_MQTT_INGEST_PASSWORD", help="Environment variable holding the ingest login's password."
    ),
    alerts_user: str = typer.Option(
        "alerts", help="Broker login of the MQTT notifier (`sensegrid notify run`); '' for none."
    ),
    alerts_password_env: str = typer.Option(
        "SENSEGRID_MQTT_ALERTS_PASSWORD", help="Environment variable holding the notifier login's password."
    ),
    rotate: list[str] = typer.Option(
        [], "--rotate", help="Give this device a new password (repeatable); the old one stops working."
    ),
    file_owner: str | None = typer.Option(
        None,
        help="UID[:GID] to own the password file and ACL: the broker's user when it is not the one "
        "running this (1883:1883 in the eclipse-mosquitto image).",
    ),
) -> None:
    """Write Mosquitto's password file and ACL from the device registry: every active device may
    publish only to <prefix>/<id>/telemetry and …/status, ingest may only subscribe to those, the
    notifier may only publish alerts. Devices without a password get one, shown once (only its hash
    is kept, in the database). Reload the broker afterwards (SIGHUP) to apply."""
    settings = get_settings()
    configure_logging(settings.log_level)
    owner = _owner(file_owner)
    prefix = settings.topic_prefix
    services: list[ServiceAccount] = []
    for user, env, make in (
        (ingest_user, ingest_password_env, "ingest"),
        (alerts_user, alerts_password_env, "alerts"),
    ):
        if make == "alerts" and not user:
            continue
        if not valid_username(user):
            raise _fail(f"the {make} login {user!r} is not a valid broker user name ({USERNAME_RULE})")
        hashed = hash_password(_service_password(env, make))
        if make == "ingest":
            services.append(ingest_account(user, hashed, prefix))
        else:
            services.append(alerts_account(user, hashed, _alert_topic_prefixes(settings)))
    reserved = {s.username for s in services}
    try:
        conn = connect(settings.database_url)
    except psycopg.OperationalError as exc:
        raise _fail(
            f"cannot reach the database ({str(exc).strip().splitlines()[0]}): check "
            "SENSEGRID_DATABASE_URL and run `sensegrid migrate`",
            1,
        ) from None
    with conn:
        stored = active_device_credentials(conn)
        unknown = sorted(set(rotate) - {d.device_id for d in stored})
        if unknown:
            raise _fail(f"--rotate names devices that are not registered and active: {', '.join(unknown)}")
        hashes: dict[str, str] = {}
        fresh: dict[str, str] = {}
        for d in stored:
            if not valid_username(d.device_id) or d.device_id in reserved:
                why = "a service login" if d.device_id in reserved else USERNAME_RULE
                err.print(f"[yellow]skipped device {d.device_id!r}[/yellow]: its id must be {why}")
                continue
            if d.device_id in rotate or not is_mosquitto_hash(d.credentials_hash):
                fresh[d.device_id] = new_password()
                hashes[d.device_id] = hash_password(fresh[d.device_id])
            else:
                hashes[d.device_id] = str(d.credentials_hash)
        set_credentials_hashes(conn, {d: hashes[d] for d in fresh})
        write_private(out / PASSWORD_FILE, password_file(services, hashes), mode=0o640, owner=owner)
        write_private(out / ACL_FILE, acl_file(prefix, services, hashes), mode=0o640, owner=owner)
        if fresh:
            rows = "".join(f"{d},{p}\n" for d, p in sorted(fresh.items()))
            write_private(out / NEW_PASSWORDS_FILE, "device_id,password\n" + rows)
    console.print(
        f"wrote {out / PASSWORD_FILE} and {out / ACL_FILE}: {len(hashes)} devices, "
        f"logins {', '.join(sorted(reserved))}; topic prefix {prefix!r}"
    )
    if fresh:
        console.print(
            f"new passwords of {len(fresh)} devices (shown once; also in {out / NEW_PASSWORDS_FILE}, "
            "mode 0600 — deliver them and delete the file):"
        )
        for device_id, password in sorted(fresh.items()):
            console.print(f"  {device_id} {password}")
    else:
        console.print("no new device passwords")
    console.print("apply: reload Mosquitto (SIGHUP; `docker compose kill -s HUP mosquitto`)")
