"""A stored week becomes a problem the engine's reader accepts."""

from __future__ import annotations

from datetime import date, datetime, time

from planner.core.domain import CenterSettings, DatedException, Preference, VolunteerRecord, WeeklyWindow
from planner.core.problem import Assignment, Window, problem_to_json, read_problem
from planner.services.week import build_problem, dated_windows
from planner.store import plans, roster
from planner.store.db import session
from planner.store.settings import save_settings

WEEK = date(2026, 11, 30)  # Monday; Fri-Sun are Dec 4-6
FRI, SAT = date(2026, 12, 4), date(2026, 12, 5)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_default_settings_give_two_shifts_and_dinner_per_open_day() -> None:
    slots = CenterSettings().week_slots(WEEK)
    assert [s.id for s in slots[:3]] == ["2026-12-04-am", "2026-12-04-pm", "2026-12-04-dinner"]
    assert len(slots) == 9
    am, pm, dinner = slots[:3]
    assert (am.start, am.end, am.min, am.target, am.min_trained) == (at(FRI, 9), at(FRI, 13), 3, 4, 1)
    assert (pm.start, pm.end) == (at(FRI, 13), at(FRI, 17))
    assert (dinner.kind, dinner.start, dinner.end, dinner.min, dinner.needs_background_check) == (
        "meal", at(FRI, 17), at(FRI, 18), 1, False)


def test_other_opening_hours_label_shifts_by_start_time() -> None:
    settings = CenterSettings(open_weekdays=(0,), opens=time(8), closes=time(22), shift_hours=4, meals=False)
    assert [s.id for s in settings.week_slots(WEEK)] == [
        "2026-11-30-0800", "2026-11-30-1200", "2026-11-30-1600"]


def test_weekly_windows_are_dated_and_touching_ones_merged() -> None:
    record = VolunteerRecord("Ana", availability=(WeeklyWindow(4, time(9), time(13)),
                                                  WeeklyWindow(4, time(13), time(17)),
                                                  WeeklyWindow(6, time(9), time(12))), id=1)
    assert dated_windows(record, WEEK) == (Window(at(FRI, 9), at(FRI, 17)),
                                           Window(at(date(2026, 12, 6), 9), at(date(2026, 12, 6), 12)))


def test_time_off_is_cut_out_and_extra_availability_added() -> None:
    record = VolunteerRecord("Ana", id=1, availability=(WeeklyWindow(4, time(9), time(17)),
                                                        WeeklyWindow(5, time(9), time(13))),
                             exceptions=(DatedException(FRI, "off", time(12), time(14)),
                                         DatedException(SAT, "extra", time(13), time(18)),
                                         DatedException(date(2026, 12, 11), "off")))
    assert dated_windows(record, WEEK) == (Window(at(FRI, 9), at(FRI, 12)), Window(at(FRI, 14), at(FRI, 17)),
                                           Window(at(SAT, 9), at(SAT, 18)))
    whole_day_off = VolunteerRecord("Ana", id=1, availability=record.availability,
                                    exceptions=(DatedException(FRI, "off"),
                                                DatedException(SAT, "extra")))
    assert dated_windows(whole_day_off, WEEK) == (Window(at(SAT, 0), at(date(2026, 12, 6), 0)),)


def test_build_problem_from_the_store(store_url: str) -> None:
    with session(store_url) as db:
        save_settings(db, CenterSettings(timezone="America/Chicago"))
        ana = roster.add_volunteer(db, VolunteerRecord(
            "Ana R.", trained=True, check_status="cleared", check_expires=date(2027, 6, 30), does_meals=True,
            max_shifts=2, max_meals=1, availability=(WeeklyWindow(4, time(9), time(18)),),
            preferences=(Preference(4, "am"), Preference(4, "dinner"))))
        bea = roster.add_volunteer(db, VolunteerRecord(
            "Bea B.", availability=(WeeklyWindow(5, time(9), time(13)),),
            exceptions=(DatedException(SAT, "off"),)))
        gone = roster.add_volunteer(db, VolunteerRecord("Cy D.", active=False))
        plans.add_pin(db, WEEK, Assignment("2026-12-04-am", ana.key))
        plans.add_pin(db, WEEK, Assignment("2026-12-04-am", gone.key))  # stale: Cy is inactive
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-pm", ana.key)])
        plans.publish_draft(db, WEEK)
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-dinner", ana.key)])  # drafts are not `previous`
    with session(store_url) as db:
        problem = build_problem(db, WEEK)
    assert problem.timezone == "America/Chicago" and len(problem.slots) == 9
    assert [v.id for v in problem.volunteers] == [ana.key, bea.key]
    first = problem.volunteer(ana.key)
    assert first.does == frozenset({"shift", "meal"}) and first.background_check.valid_on(FRI)
    assert first.available == (Window(at(FRI, 9), at(FRI, 18)),)
    assert first.prefers == frozenset({"2026-12-04-am", "2026-12-04-dinner"})
    assert problem.volunteer(bea.key).available == ()
    assert problem.pinned == (Assignment("2026-12-04-am", ana.key),)
    assert problem.previous == (Assignment("2026-12-04-pm", ana.key),)
    assert read_problem(problem_to_json(problem)) == problem
