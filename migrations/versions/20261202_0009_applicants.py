"""Public sign-up and the recruit pipeline: applicants, their erasure counts, training settings.

Revision ID: 20261202_0009
Revises: 20261202_0008
Create Date: 2026-12-01 18:00:00

- `applicants` (name, email or phone, shifts and/or dinner, when they agreed
  to a background check, the stage and when each stage began, the roster
  volunteer once cleared) with their weekly times in `applicant_windows`;
- `applicant_tallies`: the anonymous counts erasure keeps;
- `center_settings`: the public page's text, applicant retention days,
  shadow shifts needed (3), the kiosk's "trained by" question (off);
- `attendance.trained_by`: who a trainee named at the kiosk;
- `notifications` may go to an applicant (the sign-up confirmation, kind
  `applied`): `applicant_id` beside the (since 0008 optional) `volunteer_id`,
  never both, and neither only for an alert to the center's address. SQLite
  cannot alter a CHECK constraint, so `notifications` is rebuilt (as 0008
  did), and `attendance` too for its new foreign key; nothing refers to
  either table.

A downgrade drops the applicants, their counts and their messages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0009"
down_revision: str | None = "20261202_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_TEXT = ("Sign up for a four-hour shift to volunteer with the women we welcome, or to provide dinner. "
                "On-the-job training is provided and background checks are required.")
OLD_KINDS = ("kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin', 'offer', 'taken', "
             "'alert')")
NEW_KINDS = ("kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin', 'offer', 'taken', "
             "'alert', 'applied')")
# One volunteer, one applicant, or (an alert to the center's address) nobody on the roster.
RECIPIENT = ("(volunteer_id IS NULL OR applicant_id IS NULL) AND "
             "(kind = 'alert' OR volunteer_id IS NOT NULL OR applicant_id IS NOT NULL)")
STAGES = "stage IN ('new', 'contacted', 'check_requested', 'cleared', 'shadowing', 'trained')"


def upgrade() -> None:
    with op.batch_alter_table("center_settings", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("volunteer_page_text", sa.String(length=1000),
                                      server_default=DEFAULT_TEXT, nullable=False))
        batch_op.add_column(sa.Column("applicant_retention_days", sa.Integer(), server_default="60",
                                      nullable=False))
        batch_op.add_column(sa.Column("shadow_shifts_needed", sa.Integer(), server_default="3",
                                      nullable=False))
        batch_op.add_column(sa.Column("kiosk_trained_by", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table(
        "applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("wants_shifts", sa.Boolean(), nullable=False),
        sa.Column("wants_meals", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("contacted_at", sa.DateTime(), nullable=True),
        sa.Column("check_requested_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("shadowing_at", sa.DateTime(), nullable=True),
        sa.Column("trained_at", sa.DateTime(), nullable=True),
        sa.Column("declined_at", sa.DateTime(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(STAGES, name=op.f("ck_applicants_stage")),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_applicants_volunteer_id_volunteers"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicants")),
        sa.UniqueConstraint("volunteer_id", name=op.f("uq_applicants_volunteer_id")),
    )
    op.create_index(op.f("ix_applicants_applied_at"), "applicants", ["applied_at"], unique=False)
    op.create_table(
        "applicant_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_applicant_windows_weekday")),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicants.id"],
                                name=op.f("fk_applicant_windows_applicant_id_applicants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_windows")),
    )
    op.create_index(op.f("ix_applicant_windows_applicant_id"), "applicant_windows", ["applicant_id"],
                    unique=False)
    op.create_table(
        "applicant_tallies",
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("outcome", "stage", name=op.f("pk_applicant_tallies")),
    )
    with op.batch_alter_table("attendance", recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("trained_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_attendance_trained_by_volunteers"), "volunteers", ["trained_by"],
                                    ["id"])
    with op.batch_alter_table("notifications", recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("applicant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_notifications_applicant_id_applicants"), "applicants",
                                    ["applicant_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(op.f("ix_notifications_applicant_id"), ["applicant_id"], unique=False)
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_KINDS)
        batch_op.create_check_constraint("recipient", RECIPIENT)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE applicant_id IS NOT NULL OR kind = 'applied'")
    with op.batch_alter_table("notifications", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_recipient"), type_="check")
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_KINDS)
        batch_op.drop_index(op.f("ix_notifications_applicant_id"))
        batch_op.drop_constraint(op.f("fk_notifications_applicant_id_applicants"), type_="foreignkey")
        batch_op.drop_column("applicant_id")
    with op.batch_alter_table("attendance", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("fk_attendance_trained_by_volunteers"), type_="foreignkey")
        batch_op.drop_column("trained_by")
    op.drop_table("applicant_tallies")
    op.drop_index(op.f("ix_applicant_windows_applicant_id"), table_name="applicant_windows")
    op.drop_table("applicant_windows")
    op.drop_index(op.f("ix_applicants_applied_at"), table_name="applicants")
    op.drop_table("applicants")
    with op.batch_alter_table("center_settings", recreate="never") as batch_op:
        for column in ("kiosk_trained_by", "shadow_shifts_needed", "applicant_retention_days",
                       "volunteer_page_text"):
            batch_op.drop_column(column)
