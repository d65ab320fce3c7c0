"""Logging set-up shared by every sensegrid process."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr with time, level and logger name; idempotent."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # Alembic narrates every connection at INFO; its own failures still surface as exceptions.
    logging.getLogger("alembic").setLevel(logging.WARNING)
