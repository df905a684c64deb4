"""SQLAlchemy 2 ORM tables. Alembic migrations in `migrations/` must match these.

Privacy (issue 6): only display name, one or two contact fields, availability,
role and background-check status/expiry are kept. There is deliberately no
column for notes, survivor status, check reports or guests.

Timestamps are naive UTC (`utcnow()`), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from planner.core.applicants import STAGES
from planner.core.clock import utcnow
from planner.core.domain import DEFAULT_VOLUNTEER_TEXT

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CenterSettingsRow(Base):
    """A single row (id 1); `planner.core.domain.CenterSettings` defaults apply until saved."""

    __tablename__ = "center_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    open_weekdays: Mapped[str] = mapped_column(String(20))  # "4,5,6"
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    shift_hours: Mapped[int] = mapped_column(Integer)
    shift_min: Mapped[int] = mapped_column(Integer)
    shift_target: Mapped[int] = mapped_column(Integer)
    shift_min_trained: Mapped[int] = mapped_column(Integer)
    meals: Mapped[bool] = mapped_column(Boolean)
    meal_start: Mapped[time] = mapped_column(Time)
    meal_end: Mapped[time] = mapped_column(Time)
    meal_min: Mapped[int] = mapped_column(Integer)
    meal_target: Mapped[int] = mapped_column(Integer)
    show_team_first_names: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # Issue 12: the sign-in form offers "Email me a sign-in link".
    email_sign_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Issue 13: offers of open places, the "I can't make it" cut-off, the short-slot alert, texts.
    auto_offer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    claim_cutoff_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    short_alert_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    alert_email: Mapped[str | None] = mapped_column(String(254))
    sms_show_center_name: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Issue 17: the public page's text, how long applicants are kept, training, the kiosk's "trained by".
    volunteer_page_text: Mapped[str] = mapped_column(String(1000), default=DEFAULT_VOLUNTEER_TEXT,
                                                     server_default=DEFAULT_VOLUNTEER_TEXT)
    applicant_retention_days: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    shadow_shifts_needed: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    kiosk_trained_by: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Optimistic locking (issue 7): bumped by every UPDATE; a save that read another value is stale.
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}


class VolunteerRow(Base):
    __tablename__ = "volunteers"
    __table_args__ = (
        CheckConstraint("check_status IN ('cleared', 'pending', 'expired', 'none')", name="check_status"),
        CheckConstraint("max_shifts >= 0 AND max_meals >= 0", name="caps"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    does_shifts: Mapped[bool] = mapped_column(Boolean, default=True)
    does_meals: Mapped[bool] = mapped_column(Boolean, default=False)
    trained: Mapped[bool] = mapped_column(Boolean, default=False)
    check_status: Mapped[str] = mapped_column(String(10), default="none")
    check_expires: Mapped[date | None] = mapped_column(Date)
    max_shifts: Mapped[int] = mapped_column(Integer, default=1)
    max_meals: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when a coordinator erased the person: the row stays for anonymous counts.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking (issue 7): bumped by every UPDATE; a save that read another value is stale.
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": row_version}

    windows: Mapped[list[WindowRow]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        order_by="[WindowRow.weekday, WindowRow.start]")
    exceptions: Mapped[list[ExceptionRow]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        order_by="[ExceptionRow.day, ExceptionRow.id]")
    preferences: Mapped[list[PreferenceRow]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        order_by="[PreferenceRow.weekday, PreferenceRow.label]")


class WindowRow(Base):
    """Recurring weekly availability."""

    __tablename__ = "availability_windows"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    volunteer: Mapped[VolunteerRow] = relationship(back_populates="windows")


class ExceptionRow(Base):
    """Dated time off or extra availability; no times = the whole day."""

    __tablename__ = "availability_exceptions"
    __table_args__ = (CheckConstraint("kind IN ('off', 'extra')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(5))
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    volunteer: Mapped[VolunteerRow] = relationship(back_populates="exceptions")


class PreferenceRow(Base):
    __tablename__ = "preferences"
    __table_args__ = (UniqueConstraint("volunteer_id", "weekday", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(10))
    volunteer: Mapped[VolunteerRow] = relationship(back_populates="preferences")


class WeekRow(Base):
    """A planned week, named by its first day."""

    __tablename__ = "weeks"
    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(Date, unique=True)


class PlanRow(Base):
    """One version of a week's plan: the draft (`version` NULL) or a published, immutable one."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("week_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("weeks.id", ondelete="CASCADE"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="")
    unfilled: Mapped[int | None] = mapped_column(Integer)
    below_target: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by: Mapped[str | None] = mapped_column(String(40))
    # Optimistic locking of the draft (issue 7); published versions never change.
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The publish request that made this version: a repeated request (a double click) finds it.
    publish_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    __mapper_args__ = {"version_id_col": row_version}
    assignments: Mapped[list[AssignmentRow]] = relationship(
        cascade="all, delete-orphan", order_by="[AssignmentRow.slot, AssignmentRow.volunteer_id]")


class AssignmentRow(Base):
    __tablename__ = "plan_assignments"
    __table_args__ = (UniqueConstraint("plan_id", "slot", "volunteer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    # No cascade: an erased volunteer's row stays, so history keeps its counts.
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)


class PinRow(Base):
    """An assignment the coordinator fixed for a week."""

    __tablename__ = "pins"
    __table_args__ = (UniqueConstraint("week_id", "slot", "volunteer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("weeks.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)


class UserRow(Base):
    """A sign-in account. Failed attempts are counted here so lock-out survives restarts."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('coordinator', 'leadership', 'volunteer')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditRow(Base):
    """Who did what, when. `actor` is a plain username, so the log outlives deleted accounts."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")


class CancellationRow(Base):
    """Someone dropped out of a published slot: the gap stays open until the coordinator resolves it.

    Rows are never deleted, so who dropped out, when and why stays on record.
    """

    __tablename__ = "cancellations"
    __table_args__ = (
        CheckConstraint("resolution IN ('', 'replaced', 'replanned', 'dismissed', 'undone')",
                        name="resolution"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("weeks.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    # No cascade: like plan assignments, an erased volunteer's cancellations still count.
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)  # the published version they dropped out of
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(40))
    resolution: Mapped[str] = mapped_column(String(10), default="")
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(40))


class NotificationRow(Base):
    """One outgoing email or text, kept with its whole payload so a retry sends exactly what was queued.

    `key` (volunteer + slot or week + kind + plan version) makes queueing idempotent;
    rows are never deleted, so a failure stays visible until it is sent. An `alert`
    goes to the center's alert address, not to a volunteer (`volunteer_id` NULL).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("kind IN ('publish', 'change', 'cancel', 'reminder', 'invite', 'signin', 'offer', "
                        "'taken', 'alert', 'applied')", name="kind"),
        CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        CheckConstraint("(volunteer_id IS NULL OR applicant_id IS NULL) AND "
                        "(kind = 'alert' OR volunteer_id IS NOT NULL OR applicant_id IS NOT NULL)",
                        name="recipient"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # To a volunteer, or (issue 17) to an applicant (erasing them deletes their messages), or neither for an
    # alert.
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"),
                                                     index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # Issue 13: a text (`sms`) for volunteers who chose texts, else email.
    channel: Mapped[str] = mapped_column(String(5), default="email", server_default="email")
    week_start: Mapped[date | None] = mapped_column(Date)
    plan_version: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String())
    ics: Mapped[str] = mapped_column(String())
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class AttendanceRow(Base):
    """A volunteer's check-in/out for one published slot (naive UTC), or a recorded no-show.

    Keyed by (week, slot, volunteer), not by assignment row: each published
    version has its own assignment rows.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("week_id", "slot", "volunteer_id"),
        CheckConstraint(
            "checked_out_at IS NULL OR (checked_in_at IS NOT NULL AND checked_out_at >= checked_in_at)",
            name="times"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("weeks.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date, index=True)
    # No cascade: an erased volunteer's hours still count in reports.
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(DateTime)
    no_show: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected_by: Mapped[str | None] = mapped_column(String(40))
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Issue 17: the trained volunteer a trainee named at the kiosk (when the center asks).
    trained_by: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))


class LeaseRow(Base):
    """A job only one process may do at a time (sending email): who holds it, and until when.

    The holder renews `expires_at` while it works; once it has passed, another
    process may take the job over (the holder died without releasing it).
    """

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class FeedTokenRow(Base):
    """A private calendar feed: a volunteer's own shifts, or the center's (a coordinator account's).

    Only the SHA-256 of the token is kept; the token itself is shown once, when it is made.
    One feed per owner: making a new one replaces (and so revokes) the old one.
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (CheckConstraint("(volunteer_id IS NULL) <> (user_id IS NULL)", name="owner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"),
                                                     unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
class SessionRow(Base):
    """A signed-in browser (issue 12): the cookie names a random id, the store keeps only its hash.

    A session ends at logout, after `PLANNER_SESSION_IDLE_MINUTES` without use,
    at its absolute expiry, when the password changes or the account goes;
    ended rows stay (with the reason) until the account is deleted.
    """

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    # The check-in kiosk: a reload of the center's tablet stays the kiosk, never the coordinator's pages.
    kiosk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SignInTokenRow(Base):
    """A one-time way into a session: a 60 s ticket from a script to the cookie route, or an emailed link.

    Only the hash is kept; `used_at` makes it single use. A ticket is bound to
    the browser that asked for it (a hash of Streamlit's XSRF token).
    """

    __tablename__ = "sign_in_tokens"
    __table_args__ = (CheckConstraint("kind IN ('ticket', 'email')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    browser_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class InvitationRow(Base):
    """An invitation to make an account: an emailed link or a printed code, single use, 7 days.

    Only the hash is kept. A new invitation for the same volunteer revokes the
    open ones, so only the newest link or code works.
    """

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint("method IN ('email', 'code')", name="method"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class OfferRow(Base):
    """An open place offered to the eligible volunteers (issue 13): the first valid acceptance takes it.

    `places` are offered, `taken` of them claimed so far; `gap_id` is the
    cancellation it refills, if any. Open until filled, withdrawn or `expires_at`
    (naive UTC: when the slot starts, or ends for a slot already under way).
    Standby volunteers get it first; the others (`waiting`) a little later.
    """

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'filled', 'expired', 'withdrawn')", name="state"),
        CheckConstraint("places >= 1 AND taken >= 0 AND taken <= places", name="places"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("weeks.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    gap_id: Mapped[int | None] = mapped_column(ForeignKey("cancellations.id", ondelete="SET NULL"),
                                               index=True)
    places: Mapped[int] = mapped_column(Integer, default=1)
    taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    auto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The address the accept links start with (`PLANNER_PUBLIC_URL` or the offering page's), for later waves.
    link_base: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[list[OfferRecipientRow]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferRecipientRow.rank")


class OfferRecipientRow(Base):
    """One volunteer an offer went to, with their single-use accept link (only its SHA-256 is kept).

    `waiting`: a standby volunteer has the offer first, this one gets it later;
    `sent`, `opened` (the link was opened), `accepted` (they took the place),
    `filled` (someone else did), `expired` (nobody took it in time).
    """

    __tablename__ = "offer_recipients"
    __table_args__ = (
        UniqueConstraint("offer_id", "volunteer_id"),
        CheckConstraint("state IN ('waiting', 'sent', 'opened', 'accepted', 'filled', 'expired')",
                        name="state"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    standby: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    channel: Mapped[str] = mapped_column(String(5), default="email")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    message_key: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="sent")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    expired_at: Mapped[datetime | None] = mapped_column(DateTime)
    offer: Mapped[OfferRow] = relationship(back_populates="recipients")


class StandbyRow(Base):
    """A volunteer on the standby list of one open day: offered places that day first."""

    __tablename__ = "standby"
    __table_args__ = (UniqueConstraint("volunteer_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SmsChoiceRow(Base):
    """A volunteer's choice of texts (to the phone on their record) for reminders and offers; off by default.

    `stopped_at`: the number answered STOP (Twilio error 21610) or told the
    coordinator so; it is never texted again. Kept apart from `volunteers`, so
    this choice never makes a coordinator's open roster edit stale.
    """

    __tablename__ = "sms_choices"
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"),
                                              primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime)
class ApplicantRow(Base):
    """Someone who signed up on the public page (issue 17), on their way to the roster.

    Only what the job needs: a name, an email or a phone, shifts and/or dinner,
    weekly availability, when they agreed to a background check, and when each
    stage began. Never history, health or survivor status. At `cleared` the
    person is added to the roster and their name, contacts and availability are
    cleared here: the roster keeps the one copy. A declined or stale applicant
    is deleted after the center's retention days, leaving only a count in
    `applicant_tallies`.
    """

    __tablename__ = "applicants"
    __table_args__ = (CheckConstraint(f"stage IN ({', '.join(repr(s) for s in STAGES)})", name="stage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    wants_shifts: Mapped[bool] = mapped_column(Boolean)
    wants_meals: Mapped[bool] = mapped_column(Boolean)
    consent_at: Mapped[datetime] = mapped_column(DateTime)  # agreed to a background check
    stage: Mapped[str] = mapped_column(String(20))
    applied_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # entered `new`
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime)
    check_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime)
    shadowing_at: Mapped[datetime | None] = mapped_column(DateTime)
    trained_at: Mapped[datetime | None] = mapped_column(DateTime)
    declined_at: Mapped[datetime | None] = mapped_column(DateTime)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"),
                                                     unique=True)
    windows: Mapped[list[ApplicantWindowRow]] = relationship(
        cascade="all, delete-orphan", order_by="[ApplicantWindowRow.weekday, ApplicantWindowRow.start]")


class ApplicantWindowRow(Base):
    """A weekly time an applicant said they could come (the form's ticked shifts and dinners)."""

    __tablename__ = "applicant_windows"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)


class ApplicantTallyRow(Base):
    """What erasure keeps of applicants: how many left the pipeline, why, and at which stage. No person."""

    __tablename__ = "applicant_tallies"
    outcome: Mapped[str] = mapped_column(String(20), primary_key=True)  # declined, stale, trained, left
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
