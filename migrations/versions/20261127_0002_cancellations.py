"""Cancellations: who dropped out of a published slot, and how the gap was resolved.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 18:00:00

The center setting that lets volunteers see their teammates' first names
already exists since 0001 (`center_settings.show_team_first_names`), so this
revision adds only the cancellations table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cancellations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=False),
        sa.Column("replacement_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.CheckConstraint("resolution IN ('', 'replaced', 'replanned', 'dismissed')",
                           name=op.f("ck_cancellations_resolution")),
        sa.ForeignKeyConstraint(["week_id"], ["weeks.id"], name=op.f("fk_cancellations_week_id_weeks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_cancellations_volunteer_id_volunteers")),
        sa.ForeignKeyConstraint(["replacement_id"], ["volunteers.id"],
                                name=op.f("fk_cancellations_replacement_id_volunteers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellations")),
    )
    with op.batch_alter_table("cancellations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cancellations_week_id"), ["week_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancellations_volunteer_id"), ["volunteer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cancellations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancellations_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_cancellations_week_id"))
    op.drop_table("cancellations")
