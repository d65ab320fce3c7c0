"""The `sensegrid` command: one entry point for every service and administrative task.

This module only assembles the commands; each lives in `sensegrid.commands.<concern>`.
"""

from __future__ import annotations

import typer

from sensegrid.commands.alerts import app as alerts_app
from sensegrid.commands.api import api
from sensegrid.commands.backfill import backfill_cmd
from sensegrid.commands.database import migrate, retention
from sensegrid.commands.demo import demo
from sensegrid.commands.devices import app as devices_app
from sensegrid.commands.doctor import doctor
from sensegrid.commands.grafana import app as grafana_app
from sensegrid.commands.ingest import ingest
from sensegrid.commands.keys import app as keys_app
from sensegrid.commands.mqtt import app as mqtt_app
from sensegrid.commands.notify import app as notify_app
from sensegrid.commands.settings import show_settings
from sensegrid.commands.simulate import simulate

app = typer.Typer(
    name="sensegrid",
    help="sensegrid — IoT time-series monitoring on TimescaleDB. "
    "Settings come from SENSEGRID_* environment variables (see `sensegrid settings`).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(devices_app, name="devices")
app.add_typer(alerts_app, name="alerts")
app.command("ingest")(ingest)
app.add_typer(notify_app, name="notify")
app.command("api")(api)
app.add_typer(keys_app, name="keys")
app.add_typer(mqtt_app, name="mqtt")
app.add_typer(grafana_app, name="grafana")
app.command("simulate")(simulate)
app.command("backfill")(backfill_cmd)
app.command("migrate")(migrate)
app.command("retention")(retention)
app.command("doctor")(doctor)
app.command("settings")(show_settings)
app.command("demo")(demo)

if __name__ == "__main__":
    app()
