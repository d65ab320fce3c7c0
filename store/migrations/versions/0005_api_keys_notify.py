"""api_keys announce their changes: a NOTIFY on `sensegrid_api_keys` after any update or delete.

API workers keep the keys they have verified and drop them when this fires (api/key_cache.py), so a
revoked key is refused at once without a database round trip on every request.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 08:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION sensegrid_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('sensegrid_api_keys', TG_OP); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_keys "
        "FOR EACH STATEMENT EXECUTE FUNCTION sensegrid_api_keys_changed()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER api_keys_changed ON api_keys")
    op.execute("DROP FUNCTION sensegrid_api_keys_changed()")
