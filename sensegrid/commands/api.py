"""`sensegrid api`: serve the HTTP API."""

from __future__ import annotations

import typer

from core.logging import configure_logging
from core.settings import get_settings


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
