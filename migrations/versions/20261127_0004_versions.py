"""Optimistic locking and idempotent publishing: row versions and a publish key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 21:00:00

`row_version` on volunteers, center settings and plans is bumped by every
UPDATE (SQLAlchemy's version_id_col), so a save made from stale data is
refused instead of overwriting. `plans.publish_key` is unique: a repeated
publish request finds the version it already made. Only plain ADD COLUMN and
CREATE INDEX here, so SQLite never rebuilds (and never cascades over) a table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("volunteers", "center_settings", "plans")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("row_version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("plans", sa.Column("publish_key", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_plans_publish_key"), "plans", ["publish_key"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_plans_publish_key"), table_name="plans")
    with op.batch_alter_table("plans", recreate="never") as batch_op:
        batch_op.drop_column("publish_key")
        batch_op.drop_column("row_version")
    for table in TABLES[:2]:
        with op.batch_alter_table(table, recreate="never") as batch_op:
            batch_op.drop_column("row_version")
