"""Volunteers reach the app: browser sessions, sign-in tokens, invitations, emailed sign-in links.

Revision ID: 20261201_0005
Revises: 0004
Create Date: 2026-12-01 12:00:00

Every token (session id, ticket, link, printable code) is stored as its
SHA-256 only. `notifications.kind` gains `invite` and `signin`: SQLite cannot
alter a CHECK constraint, so that one table is rebuilt (nothing refers to it,
so the rebuild cascades over nothing). The rest is new tables and plain ADD COLUMN.
A downgrade drops the queued invitation and sign-in emails with the tables
their links point into.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261201_0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('publish', 'change', 'cancel', 'reminder')"
NEW_KINDS = "kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin')"


def _kinds(check: str) -> None:
    with op.batch_alter_table("notifications", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
        batch_op.create_check_constraint("kind", check)


def upgrade() -> None:
    op.add_column("center_settings", sa.Column("email_sign_in", sa.Boolean(), server_default=sa.false(),
                                               nullable=False))
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("kiosk", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_sessions_id_hash")),
    )
    op.create_index(op.f("ix_sessions_user_id"), "sessions", ["user_id"], unique=False)
    op.create_table(
        "sign_in_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('ticket', 'email')", name=op.f("ck_sign_in_tokens_kind")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sign_in_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_tokens_token_hash")),
    )
    op.create_index(op.f("ix_sign_in_tokens_user_id"), "sign_in_tokens", ["user_id"], unique=False)
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("method IN ('email', 'code')", name=op.f("ck_invitations_method")),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_invitations_volunteer_id_volunteers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_volunteer_id"), "invitations", ["volunteer_id"], unique=False)
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind IN ('invite', 'signin')")
    _kinds(OLD_KINDS)
    for table in ("invitations", "sign_in_tokens", "sessions"):
        op.drop_table(table)
    with op.batch_alter_table("center_settings", recreate="never") as batch_op:
        batch_op.drop_column("email_sign_in")
