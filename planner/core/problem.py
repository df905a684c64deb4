"""The `volunteer-planner/1` problem: typed domain objects and a strict reader.

The reader collects every problem it finds, each named by its place in the
document (`slots[3].end: before start`), so a coordinator fixes a file in one go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.core.errors import ProblemError

FORMAT = "volunteer-planner/1"
KINDS = ("shift", "meal")
CHECK_STATUSES = ("cleared", "pending", "expired", "none")
# Far above any real slot or cap; keeps the solvers' integer arithmetic safe.
MAX_COUNT = 100_000

Kind = Literal["shift", "meal"]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Slot:
    id: str
    kind: Kind
    start: datetime
    end: datetime
    min: int
    target: int
    min_trained: int = 0
    needs_background_check: bool = True

    def overlaps(self, other: Slot) -> bool:
        """Touching ends (13:00 and 13:00) do not overlap."""
        return self.start < other.end and other.start < self.end

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class BackgroundCheck:
    status: str = "none"
    expires: date | None = None

    def valid_on(self, day: date) -> bool:
        """`expires` is the last valid day."""
        return self.status == "cleared" and (self.expires is None or day <= self.expires)


@dataclass(frozen=True)
class Volunteer:
    id: str
    name: str = ""
    trained: bool = False
    background_check: BackgroundCheck = BackgroundCheck()
    does: frozenset[str] = frozenset({"shift"})
    max_shifts: int = 1
    max_meals: int = 0
    available: tuple[Window, ...] = ()
    prefers: frozenset[str] = frozenset()
    # A trainee the center's pipeline waits on: plans prefer to give them shifts (a soft goal; default off).
    in_training: bool = False

    def cap(self, kind: str) -> int:
        return self.max_shifts if kind == "shift" else self.max_meals


@dataclass(frozen=True, order=True)
class Assignment:
    slot: str
    volunteer: str


@dataclass(frozen=True)
class Candidate:
    label: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class RecruitProfile:
    max_shifts: int = 1
    max_meals: int = 1
    available: Literal["candidate", "any"] = "candidate"


@dataclass(frozen=True)
class WhatIf:
    candidates: tuple[Candidate, ...] = ()
    recruit: RecruitProfile = RecruitProfile()


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    volunteers: tuple[Volunteer, ...]
    pinned: tuple[Assignment, ...] = ()
    previous: tuple[Assignment, ...] = ()
    timezone: str = "UTC"
    whatif: WhatIf | None = None

    @cached_property
    def _slot_index(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def _volunteer_index(self) -> dict[str, Volunteer]:
        return {v.id: v for v in self.volunteers}

    def slot(self, slot_id: str) -> Slot:
        return self._slot_index[slot_id]

    def volunteer(self, volunteer_id: str) -> Volunteer:
        return self._volunteer_index[volunteer_id]

    def has_slot(self, slot_id: str) -> bool:
        return slot_id in self._slot_index

    def has_volunteer(self, volunteer_id: str) -> bool:
        return volunteer_id in self._volunteer_index

    def with_slots(self, slots: tuple[Slot, ...]) -> Problem:
        """The same roster, pins and history over another set of slots."""
        return replace(self, slots=slots)

    def with_volunteers(self, volunteers: tuple[Volunteer, ...]) -> Problem:
        return replace(self, volunteers=volunteers)

    def with_pins(self, pinned: tuple[Assignment, ...]) -> Problem:
        return replace(self, pinned=pinned)

    def with_whatif(self, whatif: WhatIf | None) -> Problem:
        return replace(self, whatif=whatif)


# ---------------------------------------------------------------- reading


class _Reader:
    """Collects placed messages while reading a JSON document."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, place: str, message: str) -> None:
        self.errors.append(f"{place}: {message}")

    def obj(self, value: Any, place: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(place, "must be an object")
            return None
        return value

    def array(self, value: Any, place: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(place, "must be a list")
            return []
        return value

    def text(self, data: dict[str, Any], key: str, place: str, default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is None:
            self.fail(f"{place}.{key}", "is required")
            return None
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(f"{place}.{key}", "must be a non-empty text")
            return None
        return value

    def whole(self, data: dict[str, Any], key: str, place: str, default: int | None = None) -> int | None:
        value = data.get(key, default)
        if value is None:
            self.fail(f"{place}.{key}", "is required")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{place}.{key}", f"{value!r} is not a whole number")
            return None
        if value < 0:
            self.fail(f"{place}.{key}", f"{value} is negative")
            return None
        if value > MAX_COUNT:
            self.fail(f"{place}.{key}", f"{value} is more than {MAX_COUNT}")
            return None
        return value

    def flag(self, data: dict[str, Any], key: str, place: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{place}.{key}", f"{value!r} is not true or false")
            return default
        return value

    def moment(self, data: dict[str, Any], key: str, place: str) -> datetime | None:
        value = data.get(key)
        if not isinstance(value, str):
            self.fail(f"{place}.{key}", "is required, as YYYY-MM-DDTHH:MM" if value is None
                      else f"{value!r} is not a time YYYY-MM-DDTHH:MM")
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{place}.{key}", f"{value!r} is not a time YYYY-MM-DDTHH:MM")
            return None
        if moment.tzinfo is not None:
            self.fail(f"{place}.{key}", f"{value!r} must be a local wall-clock time, without offset")
            return None
        return moment

    def day(self, data: dict[str, Any], key: str, place: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{place}.{key}", f"{value!r} is not a date YYYY-MM-DD")
            return None

    def span(self, data: dict[str, Any], place: str) -> tuple[datetime, datetime] | None:
        start = self.moment(data, "start", place)
        end = self.moment(data, "end", place)
        if start is None or end is None:
            return None
        if end <= start:
            self.fail(f"{place}.end", "before start" if end < start else "equals start")
            return None
        return start, end


def _read_slot(r: _Reader, raw: Any, place: str) -> Slot | None:
    data = r.obj(raw, place)
    if data is None:
        return None
    slot_id = r.text(data, "id", place)
    kind = data.get("kind")
    if kind not in KINDS:
        r.fail(f"{place}.kind", f"{kind!r} is not shift or meal")
    span = r.span(data, place)
    minimum = r.whole(data, "min", place)
    target = r.whole(data, "target", place, default=minimum if minimum is not None else 0)
    min_trained = r.whole(data, "min_trained", place, default=0)
    needs_check = r.flag(data, "needs_background_check", place, default=kind == "shift")
    if minimum is not None and target is not None and target < minimum:
        r.fail(f"{place}.target", "below min")
        return None
    if None in (slot_id, span, minimum, target, min_trained) or kind not in KINDS:
        return None
    assert span is not None and slot_id is not None and minimum is not None
    assert target is not None and min_trained is not None
    return Slot(slot_id, kind, span[0], span[1], minimum, target, min_trained, needs_check)


def _read_unique(r: _Reader, raw: Any, place: str, taken: set[str],
                 read: Callable[[_Reader, Any, str], Any]) -> list[Any]:
    """Read a list of objects with ids, refusing an id used twice (ids go into `taken`)."""
    out = []
    for i, item in enumerate(r.array(raw, place)):
        thing = read(r, item, f"{place}[{i}]")
        if thing is None:
            continue
        if thing.id in taken:
            r.fail(f"{place}[{i}].id", f"{thing.id!r} is used twice")
            continue
        taken.add(thing.id)
        out.append(thing)
    return out


def read_slots(r: _Reader, raw: Any, place: str, taken: set[str]) -> tuple[Slot, ...]:
    return tuple(_read_unique(r, raw, place, taken, _read_slot))


def _read_volunteer(r: _Reader, raw: Any, place: str) -> Volunteer | None:
    data = r.obj(raw, place)
    if data is None:
        return None
    vid = r.text(data, "id", place)
    name = data.get("name", "")
    if not isinstance(name, str):
        r.fail(f"{place}.name", "must be a text")
        name = ""
    trained = r.flag(data, "trained", place, default=False)
    in_training = r.flag(data, "in_training", place, default=False)
    check = BackgroundCheck()
    raw_check = data.get("background_check")
    if raw_check is not None:
        check_data = r.obj(raw_check, f"{place}.background_check")
        if check_data is not None:
            status = check_data.get("status", "none")
            if status not in CHECK_STATUSES:
                r.fail(f"{place}.background_check.status",
                       f"{status!r} is not one of {', '.join(CHECK_STATUSES)}")
                status = "none"
            check = BackgroundCheck(status, r.day(check_data, "expires", f"{place}.background_check"))
    does_raw = data.get("does", ["shift"])
    does: set[str] = set()
    for j, kind in enumerate(r.array(does_raw, f"{place}.does")):
        if kind not in KINDS:
            r.fail(f"{place}.does[{j}]", f"{kind!r} is not shift or meal")
        else:
            does.add(kind)
    max_shifts = r.whole(data, "max_shifts", place, default=1)
    max_meals = r.whole(data, "max_meals", place, default=0)
    windows = []
    for j, item in enumerate(r.array(data.get("available"), f"{place}.available")):
        window_data = r.obj(item, f"{place}.available[{j}]")
        span = r.span(window_data, f"{place}.available[{j}]") if window_data is not None else None
        if span is not None:
            windows.append(Window(*span))
    prefers = set()
    for j, slot_id in enumerate(r.array(data.get("prefers"), f"{place}.prefers")):
        if not isinstance(slot_id, str):
            r.fail(f"{place}.prefers[{j}]", "must be a slot id")
        else:
            prefers.add(slot_id)
    if vid is None or max_shifts is None or max_meals is None:
        return None
    return Volunteer(vid, name, trained, check, frozenset(does), max_shifts, max_meals,
                     tuple(windows), frozenset(prefers), in_training)


def _read_assignments(r: _Reader, raw: Any, place: str) -> list[tuple[int, Assignment]]:
    out = []
    for i, item in enumerate(r.array(raw, place)):
        data = r.obj(item, f"{place}[{i}]")
        if data is None:
            continue
        slot_id = r.text(data, "slot", f"{place}[{i}]")
        vid = r.text(data, "volunteer", f"{place}[{i}]")
        if slot_id is not None and vid is not None:
            out.append((i, Assignment(slot_id, vid)))
    return out


def _read_whatif(r: _Reader, raw: Any, taken: set[str]) -> WhatIf | None:
    if raw is None:
        return None
    data = r.obj(raw, "whatif")
    if data is None:
        return None
    candidates = []
    for i, item in enumerate(r.array(data.get("candidates"), "whatif.candidates")):
        place = f"whatif.candidates[{i}]"
        cand = r.obj(item, place)
        if cand is None:
            continue
        label = r.text(cand, "label", place)
        slots = read_slots(r, cand.get("slots"), f"{place}.slots", set(taken))
        if label is not None:
            candidates.append(Candidate(label, slots))
    recruit = RecruitProfile()
    if data.get("recruit") is not None:
        rec = r.obj(data["recruit"], "whatif.recruit")
        if rec is not None:
            max_shifts = r.whole(rec, "max_shifts", "whatif.recruit", default=1)
            max_meals = r.whole(rec, "max_meals", "whatif.recruit", default=1)
            available = rec.get("available", "candidate")
            if available not in ("candidate", "any"):
                r.fail("whatif.recruit.available", f"{available!r} is not candidate or any")
                available = "candidate"
            recruit = RecruitProfile(max_shifts if max_shifts is not None else 1,
                                     max_meals if max_meals is not None else 1, available)
    return WhatIf(tuple(candidates), recruit)


def read_problem(data: Any) -> Problem:
    """Read a parsed JSON document into a Problem, or raise ProblemError.

    Checks the document's own consistency (ids, times, references). Whether
    the pins obey the hard rules is checked by `planner.core.validate.check_pins`.
    """
    r = _Reader()
    doc = r.obj(data, "problem")
    if doc is None:
        raise ProblemError(r.errors)
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        r.fail("format", f"{fmt!r} is not {FORMAT}")
    timezone = doc.get("timezone", "UTC")
    try:
        if not isinstance(timezone, str):
            raise ZoneInfoNotFoundError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("timezone", f"{timezone!r} is not a known time zone")
        timezone = "UTC"
    slot_ids: set[str] = set()
    slots = read_slots(r, doc.get("slots"), "slots", slot_ids)
    seen: set[str] = set()
    volunteers = _read_unique(r, doc.get("volunteers"), "volunteers", seen, _read_volunteer)
    pinned = []
    pinned_seen: dict[Assignment, int] = {}
    for i, pin in _read_assignments(r, doc.get("pinned"), "pinned"):
        if pin.slot not in slot_ids:
            r.fail(f"pinned[{i}].slot", f"no slot {pin.slot!r}")
        elif pin.volunteer not in seen:
            r.fail(f"pinned[{i}].volunteer", f"no volunteer {pin.volunteer!r}")
        elif pin in pinned_seen:
            r.fail(f"pinned[{i}]", f"{pin.volunteer} is pinned to {pin.slot} twice "
                                   f"(also pinned[{pinned_seen[pin]}])")
        else:
            pinned_seen[pin] = i
            pinned.append(pin)
    # The last published plan may name people or slots that are gone; they are simply ignored.
    previous = tuple(dict.fromkeys(a for _, a in _read_assignments(r, doc.get("previous"), "previous")))
    whatif = _read_whatif(r, doc.get("whatif"), slot_ids)
    if r.errors:
        raise ProblemError(r.errors)
    return Problem(slots=slots, volunteers=tuple(volunteers), pinned=tuple(pinned),
                   previous=previous, timezone=timezone, whatif=whatif)


# ---------------------------------------------------------------- writing


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def slot_to_json(slot: Slot) -> dict[str, Any]:
    return {"id": slot.id, "kind": slot.kind, "start": _moment(slot.start), "end": _moment(slot.end),
            "min": slot.min, "target": slot.target, "min_trained": slot.min_trained,
            "needs_background_check": slot.needs_background_check}


def volunteer_to_json(vol: Volunteer) -> dict[str, Any]:
    check: dict[str, Any] = {"status": vol.background_check.status}
    if vol.background_check.expires is not None:
        check["expires"] = vol.background_check.expires.isoformat()
    doc = {"id": vol.id, "name": vol.name, "trained": vol.trained, "background_check": check,
           "does": sorted(vol.does), "max_shifts": vol.max_shifts, "max_meals": vol.max_meals,
           "available": [{"start": _moment(w.start), "end": _moment(w.end)} for w in vol.available],
           "prefers": sorted(vol.prefers)}
    if vol.in_training:  # written only when set, so documents without trainees stay as they were
        doc["in_training"] = True
    return doc


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The inverse of `read_problem` (defaults written out)."""
    doc: dict[str, Any] = {
        "format": FORMAT, "timezone": problem.timezone,
        "slots": [slot_to_json(s) for s in problem.slots],
        "volunteers": [volunteer_to_json(v) for v in problem.volunteers],
        "pinned": [{"slot": a.slot, "volunteer": a.volunteer} for a in problem.pinned],
        "previous": [{"slot": a.slot, "volunteer": a.volunteer} for a in problem.previous],
    }
    if problem.whatif is not None:
        rec = problem.whatif.recruit
        doc["whatif"] = {
            "candidates": [{"label": c.label, "slots": [slot_to_json(s) for s in c.slots]}
                           for c in problem.whatif.candidates],
            "recruit": {"max_shifts": rec.max_shifts, "max_meals": rec.max_meals,
                        "available": rec.available},
        }
    return doc
