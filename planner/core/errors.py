"""The one error base of the planner: refused input or a refused change, with messages fit to show.

Every message names its place (`slots[3].end: before start`, `row 7, email: ...`),
so a person can fix everything in one go. Pages catch `PlannerError` and show
`messages`; anything else reaching a page is a bug (logged, shown plainly).
"""

from __future__ import annotations

from typing import Any


class PlannerError(Exception):
    """Refused: one placed message per problem; nothing was changed."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "; ".join(self.messages)


class ProblemError(PlannerError):
    """A problem or plan document (or an engine request) that breaks the format or the hard rules."""


class RosterError(PlannerError):
    """A refused roster change or import."""


class SettingsError(PlannerError):
    """Center settings that cannot produce a week."""


class PlanError(PlannerError):
    """A refused plan change: publish, pin, cancel, resolve."""


class ClaimError(PlanError):
    """A place a volunteer may not take (an offer's or a sign-up's): the rule it breaks, in plain words."""


class PlaceFilled(ClaimError):
    """Another volunteer took the last place first; nothing was changed."""


class OfferLinkError(PlannerError):
    """A wrong, tampered, replaced or ended offer link; nothing was changed."""


class AccountError(PlannerError):
    """A refused account change or sign-in request."""


class InvitationError(PlannerError):
    """A wrong, used, replaced or expired invitation, code or sign-in link; nothing was changed."""


class ApplicantError(PlannerError):
    """A refused sign-up on the public page, or a refused move of an applicant; nothing was changed."""


class ConfigError(PlannerError):
    """A deployment setting (environment or secrets.toml) that cannot be used; the message names it."""


class AttendanceError(PlannerError):
    """A refused check-in, check-out or correction."""


class NotifyError(PlannerError):
    """Messages cannot be sent at all (settings missing or unsafe); nothing was marked."""


class BackupError(PlannerError):
    """A backup that cannot be written, read or restored; the message names the file or table."""


class UploadTooLarge(PlannerError):
    """An upload over the limit."""


class DatabaseBusy(PlannerError):
    """The database stayed locked by other writers; nothing of this unit of work was saved."""

    def __init__(self) -> None:
        super().__init__("The planner is busy saving other changes and could not save yours; nothing was "
                         "changed. Please try again in a moment.")


class StaleEdit(PlannerError):
    """Someone else saved the record after the user loaded it; `yours` keeps the user's input.

    `current` is the record as now stored, `changes` names each field where it
    differs from the user's input, so a page can show both and let them redo.
    """

    def __init__(self, what: str, expected: int, current_version: int, changes: list[str],
                 current: Any = None, yours: Any = None) -> None:
        detail = "; ".join(changes) if changes else "no field differs from your input"
        super().__init__(f"{what}: changed by someone else since you opened it (your version {expected}, "
                         f"now {current_version}); now stored: {detail}. Your input is kept; check it and "
                         "save again.")
        self.expected, self.current_version, self.changes = expected, current_version, changes
        self.current, self.yours = current, yours


class StaleVolunteer(StaleEdit, RosterError):
    """A stale volunteer save: pages that show a RosterError's messages show this one too."""


class StaleSettings(StaleEdit, SettingsError):
    """A stale settings save."""


class StaleDraft(StaleEdit, PlanError):
    """The draft was saved or published by someone else since it was loaded."""


class PublishedMeanwhile(PlanError):
    """Someone published the week after this change was made from an older version; nothing was published.

    `theirs` holds the assignments of the version they published, so a page
    can say how the refused plan differs from it.
    """

    def __init__(self, week_start: Any, latest: int, based_on: int | None, theirs: tuple[Any, ...] = ()):
        super().__init__(f"week {week_start}: version {latest} was published by someone else after you "
                         f"opened {'version ' + str(based_on) if based_on else 'the week'}; nothing was "
                         "published. Reload to see their plan, then make your change again.")
        self.week_start, self.latest, self.based_on, self.theirs = week_start, latest, based_on, theirs
