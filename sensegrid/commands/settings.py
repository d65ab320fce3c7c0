"""`sensegrid settings` (list every setting) and the settings a command starts from."""

from __future__ import annotations

from rich.console import Console

from core.logging import configure_logging
from core.settings import Settings, get_settings
from store.db_url import redacted

console = Console(soft_wrap=True)


def configured_settings() -> Settings:
    """The settings, with logging configured from them: how a command that needs both starts."""
    settings = get_settings()
    configure_logging(settings.log_level)
    return settings


def show_settings() -> None:
    """List every setting with its environment variable, current value and meaning."""
    settings = get_settings()
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if name == "database_url" or name == "mqtt_url":
            value = redacted(str(value))
        console.print(f"[bold]SENSEGRID_{name.upper()}[/bold] = {value}", highlight=False)
        console.print(f"    {field.description}", highlight=False)
