"""Who in the stored roster a row of an imported file is: by email, else by an unambiguous name.

All three importers (roster CSV, SignUpGenius, Google Forms) match people the same
way, so a person is never added twice by one importer and updated by another.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.core.domain import VolunteerRecord


class RosterIndex:
    def __init__(self, stored: Iterable[VolunteerRecord]):
        self._by_email: dict[str, VolunteerRecord] = {}
        self._by_name: dict[str, list[VolunteerRecord]] = {}
        for v in stored:
            if v.email:
                self._by_email[v.email.casefold()] = v
            self._by_name.setdefault(v.name.casefold(), []).append(v)

    def candidates(self, email: str | None, name: str) -> list[VolunteerRecord]:
        """The one person with this email, else everyone of this name (a name never overrides
        two different emails); more than one means the row is ambiguous."""
        if email and (match := self._by_email.get(email.casefold())):
            return [match]
        return [v for v in self._by_name.get(name.casefold(), []) if not (v.email and email)] if name else []
