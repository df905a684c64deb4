"""Gaps fill themselves: offers of open places, standby days, texts by choice, the alert settings.

Revision ID: 20261202_0008
Revises: 20261202_0007
Create Date: 2026-12-01 18:00:00

`offers` are open places offered to the eligible volunteers; `offer_recipients`
holds each volunteer's single-use accept link as its SHA-256 only, with its
state and when it was sent, opened, accepted or expired. `standby` lists who is
on standby for which day; `sms_choices` who chose texts (off by default) and
whose number answered STOP. `center_settings` gains the automatic offers, the
"I can't make it" cut-off, the short-slot alert (hours, address) and whether
texts name the center. `notifications` gains the kinds `offer`, `taken` and
`alert`, a `channel` (email or sms), and a NULL volunteer for alerts: SQLite
cannot alter a CHECK constraint or a NOT NULL, so that one table is rebuilt
(nothing refers to it). A downgrade drops the queued offers, alerts and texts
with the tables their links point into.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0008"
down_revision: str | None = "20261202_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin')"
NEW_KINDS = ("kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin', 'offer', 'taken', "
             "'alert')")


def _settings() -> list[sa.Column]:
    return [sa.Column("auto_offer", sa.Boolean(), server_default=sa.false(), nullable=False),
            sa.Column("claim_cutoff_hours", sa.Integer(), server_default="24", nullable=False),
            sa.Column("short_alert_hours", sa.Integer(), server_default="48", nullable=False),
            sa.Column("alert_email", sa.String(length=254), nullable=True),
            sa.Column("sms_show_center_name", sa.Boolean(), server_default=sa.false(), nullable=False)]


def upgrade() -> None:
    for column in _settings():
        op.add_column("center_settings", column)
    with op.batch_alter_table("notifications", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_KINDS)
        batch_op.add_column(sa.Column("channel", sa.String(length=5), server_default="email", nullable=False))
        batch_op.create_check_constraint("channel", "channel IN ('email', 'sms')")
        batch_op.alter_column("volunteer_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("gap_id", sa.Integer(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), server_default="0", nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("auto", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("link_base", sa.String(length=200), nullable=False),
        sa.CheckConstraint("state IN ('open', 'filled', 'expired', 'withdrawn')",
                           name=op.f("ck_offers_state")),
        sa.CheckConstraint("places >= 1 AND taken >= 0 AND taken <= places", name=op.f("ck_offers_places")),
        sa.ForeignKeyConstraint(["week_id"], ["weeks.id"], name=op.f("fk_offers_week_id_weeks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["gap_id"], ["cancellations.id"], name=op.f("fk_offers_gap_id_cancellations"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    op.create_index(op.f("ix_offers_week_id"), "offers", ["week_id"], unique=False)
    op.create_index(op.f("ix_offers_gap_id"), "offers", ["gap_id"], unique=False)
    op.create_index(op.f("ix_offers_state"), "offers", ["state"], unique=False)
    op.create_table(
        "offer_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("standby", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("channel", sa.String(length=5), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("expired_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('waiting', 'sent', 'opened', 'accepted', 'filled', 'expired')",
                           name=op.f("ck_offer_recipients_state")),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f("ck_offer_recipients_channel")),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], name=op.f("fk_offer_recipients_offer_id_offers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_offer_recipients_volunteer_id_volunteers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_recipients")),
        sa.UniqueConstraint("offer_id", "volunteer_id",
                            name=op.f("uq_offer_recipients_offer_id_volunteer_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_offer_recipients_token_hash")),
    )
    op.create_index(op.f("ix_offer_recipients_offer_id"), "offer_recipients", ["offer_id"], unique=False)
    op.create_index(op.f("ix_offer_recipients_volunteer_id"), "offer_recipients", ["volunteer_id"],
                    unique=False)
    op.create_table(
        "standby",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_standby_volunteer_id_volunteers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standby")),
        sa.UniqueConstraint("volunteer_id", "day", name=op.f("uq_standby_volunteer_id_day")),
    )
    op.create_index(op.f("ix_standby_volunteer_id"), "standby", ["volunteer_id"], unique=False)
    op.create_index(op.f("ix_standby_day"), "standby", ["day"], unique=False)
    op.create_table(
        "sms_choices",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteers.id"],
                                name=op.f("fk_sms_choices_volunteer_id_volunteers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("volunteer_id", name=op.f("pk_sms_choices")),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind IN ('offer', 'taken', 'alert') OR channel = 'sms'")
    for table in ("sms_choices", "standby", "offer_recipients", "offers"):
        op.drop_table(table)
    with op.batch_alter_table("notifications", recreate="auto") as batch_op:
        batch_op.alter_column("volunteer_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(op.f("ck_notifications_channel"), type_="check")
        batch_op.drop_column("channel")
        batch_op.drop_constraint(op.f("ck_notifications_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_KINDS)
    with op.batch_alter_table("center_settings", recreate="never") as batch_op:
        for column in reversed(_settings()):
            batch_op.drop_column(column.name)
