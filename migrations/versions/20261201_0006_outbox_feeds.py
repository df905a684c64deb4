"""Notices without cron and calendar subscriptions: the sender's lease, feed tokens, reminder hours.

Revision ID: 20261201_0006
Revises: 20261201_0005
Create Date: 2026-12-01 12:00:00

`leases` holds one row per job that only one process may run at a time (the
email sender), with the holder and when its claim runs out. `feed_tokens`
keeps the SHA-256 of each private calendar feed token (never the token), one
per volunteer or per coordinator account. `center_settings.reminder_hours`
is how long before a shift reminders go out (24 until changed). Only CREATE
TABLE and ADD COLUMN, so SQLite never rebuilds a table.

(Written beside `20261201_0005`, sessions and invitations: when both are
merged this one revises that one.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0006"
down_revision: str | None = "20261201_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("center_settings",
                  sa.Column("reminder_hours", sa.Integer(), server_default="24", nullable=False))
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("(volunteer_id IS NULL) <> (user_id IS NULL)", name=op.f("ck_feed_tokens_owner")),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_feed_tokens_volunteer_id_volunteers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_feed_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_tokens_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_feed_tokens_user_id")),
        sa.UniqueConstraint("volunteer_id", name=op.f("uq_feed_tokens_volunteer_id")),
    )


def downgrade() -> None:
    op.drop_table("feed_tokens")
    op.drop_table("leases")
    with op.batch_alter_table("center_settings", recreate="never") as batch_op:
        batch_op.drop_column("reminder_hours")
