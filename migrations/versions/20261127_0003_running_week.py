"""Running the week: outgoing email notifications and attendance (check-in/out).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 20:00:00

Notifications keep their whole payload (subject, body, ICS) so a retry sends
exactly what was queued; `key` makes queueing idempotent. Attendance is keyed
by (week, slot, volunteer) rather than by assignment row, because every
published version has its own assignment rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=True),
        sa.Column("plan_version", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("ics", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('publish', 'change', 'cancel', 'reminder')",
                           name=op.f("ck_notifications_kind")),
        sa.CheckConstraint("status IN ('queued', 'sent', 'failed')", name=op.f("ck_notifications_status")),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_notifications_volunteer_id_volunteers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("checked_out_at", sa.DateTime(), nullable=True),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("corrected_by", sa.String(length=40), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "checked_out_at IS NULL OR (checked_in_at IS NOT NULL AND checked_out_at >= checked_in_at)",
            name=op.f("ck_attendance_times")),
        sa.ForeignKeyConstraint(["week_id"], ["weeks.id"], name=op.f("fk_attendance_week_id_weeks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_attendance_volunteer_id_volunteers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("week_id", "slot", "volunteer_id",
                            name=op.f("uq_attendance_week_id_slot_volunteer_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_volunteer_id"), ["volunteer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_day"))
    op.drop_table("attendance")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_status"))
    op.drop_table("notifications")
