"""devices.data_at: when readings of a device were last written, late ones included.

Domain views cache their answers per API worker and recompute when this moves (api/view_cache.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "devices",
        sa.Column(
            "data_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When readings of the device were last written (late ones too): views' cache key.",
        ),
    )


def downgrade() -> None:
    op.drop_column("devices", "data_at")
