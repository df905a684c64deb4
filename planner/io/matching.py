"""Who in the stored roster a row of an imported file is: by email, else by an unambiguous name.

All three importers (roster CSV, SignUpGenius, Google Forms) match people the same
way, so a person is never added twice by one importer and updated by another.
Names and emails compare as `planner.core.cells.same_text` (NFC, case and runs
of spaces ignored), so `Zoë` typed two ways is one person. A row is never
attached by name to someone whose stored email differs from the row's.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.core.cells import same_text
from planner.core.domain import VolunteerRecord


class RosterIndex:
    def __init__(self, stored: Iterable[VolunteerRecord]):
        self._by_email: dict[str, VolunteerRecord] = {}
        self._by_name: dict[str, list[VolunteerRecord]] = {}
        for v in stored:
            if v.email:
                self._by_email[same_text(v.email)] = v
            self._by_name.setdefault(same_text(v.name), []).append(v)

    def candidates(self, email: str | None, name: str) -> list[VolunteerRecord]:
        """The one person with this email, else everyone of this name (a name never overrides
        two different emails); more than one means the row is ambiguous."""
        if email and (match := self._by_email.get(same_text(email))):
            return [match]
        return [v for v in self._by_name.get(same_text(name), []) if not (v.email and email)] if name else []
