"""Issue 17 through the services: the public sign-up (fields, honeypot, known addresses, limits, a flood of
1,000), the pipeline's stages and the roster, retention with anonymous counts, training counted from plans
and check-ins, the trainee goal in the week's problem, and the what-if with the applicants counted in.

Tests that touch the store run on SQLite and PostgreSQL (`store_url`), except the what-if, which needs the
demo center (`demo_db`).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import pytest

from planner.core.applicants import (
    SlotChoice,
    as_volunteer,
    read_application,
    shadow_shifts,
    slot_choices,
)
from planner.core.clock import utcnow
from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow, monday_of
from planner.core.errors import ApplicantError
from planner.core.history import Attendance
from planner.core.problem import Assignment
from planner.services import applicants as pipeline
from planner.services import leadership, limits, linkmail, outbox, retention, signup
from planner.services.week import build_problem
from planner.store import applicants, attendance, audit, backup, db, notifications, plans
from planner.store.roster import add_volunteer, erase_volunteer, get_volunteer
from planner.store.settings import load_settings, save_settings
from tests.test_invitations import text_of

BASE = "https://planner.example.org"
CENTER = CenterSettings()
THURSDAY = [c for c in slot_choices(CENTER)[3] if c.kind == "shift"]  # the center is closed on Thursdays
FRIDAY_AM = [c for c in slot_choices(CENTER)[4] if c.start == clock_time(9)]
DINNERS = [c for day in slot_choices(CENTER).values() for c in day if c.kind == "meal"]
T0 = datetime(2026, 11, 2, 15, 0)  # naive UTC


def form(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {"name": "Ana Reyes", "email": "ana@example.org", "phone": "",
                                 "offer": "shifts", "chosen": THURSDAY, "consent": True}
    return {**fields, **changes}


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty center; link emails go out at once, in the test's own thread."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("PLANNER_SECRET_KEY", "k" * 48)
    monkeypatch.setattr(linkmail, "send_soon", linkmail.send_now)
    yield store_url


def _applicants() -> list:
    with db.session(readonly=True) as s:
        return applicants.list_applicants(s)


def _messages() -> list[notifications.Notification]:
    with db.session(readonly=True) as s:
        return notifications.list_notifications(s)


# ---------------------------------------------------------------- the form's fields


@pytest.mark.parametrize(("changes", "expected"), [
    ({"name": "  "}, "name: is required"),
    ({"name": "Ana\u202eRe"}, "name: holds an invisible or direction-changing character (U+202E)"),
    ({"name": "x" * 101}, "name: longer than 100 characters"),
    ({"email": "ana@"}, 'email: "ana@" is not an email address'),
    ({"phone": "call me"}, 'phone: "call me" is not a phone number (7 to 15 digits; spaces, + - ( ) '
                           "allowed)"),
    ({"email": "", "phone": ""}, "email or phone: give at least one, so the coordinator can reach you"),
    ({"offer": None}, "offer: choose shifts, dinner or both"),
    ({"chosen": []}, "availability: choose at least one time for a shift that you could come"),
    ({"offer": "dinner"}, "availability: choose at least one time for dinner that you could come"),
    ({"consent": False}, "background check: please agree to it; the center needs one before you volunteer"),
])
def test_each_bad_field_gets_its_own_placed_message(changes, expected):
    with pytest.raises(ApplicantError) as refused:
        read_application(**form(**changes))
    assert refused.value.messages == [expected]


def test_a_good_form_reads_by_the_roster_rules():
    read = read_application(**form(name=" Zoe\u0308 K. ", email="ANA@Example.org", phone="+1 (816) 555-0100",
                                   offer="both", chosen=THURSDAY + DINNERS[:1]))
    assert (read.name, read.email, read.phone) == ("Zoë K.", "ana@example.org", "+1 (816) 555-0100")
    assert (read.wants_shifts, read.wants_meals) == (True, True)
    assert read.availability == (WeeklyWindow(3, clock_time(9), clock_time(13)),
                                 WeeklyWindow(3, clock_time(13), clock_time(17)),
                                 WeeklyWindow(4, clock_time(17), clock_time(18)))  # Friday's dinner
    # Dinner times ticked by someone who offers shifts only are not kept.
    shifts_only = read_application(**form(chosen=THURSDAY + DINNERS))
    assert shifts_only.availability == tuple(c.window for c in THURSDAY)


def test_a_refused_form_stores_and_sends_nothing(url):
    with pytest.raises(ApplicantError):
        signup.sign_up(**form(email="nope", consent=False), session_limit=limits.SessionLimit())
    assert _applicants() == [] and _messages() == []


# ---------------------------------------------------------------- stored, known, honeypot: one answer


def test_a_sign_up_is_stored_with_the_minimum_and_confirmed_by_email(url, smtp):
    done = signup.sign_up(**form(), clock=lambda: T0)
    assert done.outcome == "stored"
    [stored] = _applicants()
    assert (stored.name, stored.email, stored.phone) == ("Ana Reyes", "ana@example.org", None)
    assert (stored.wants_shifts, stored.wants_meals, stored.entered) == (True, False, {"new": T0})
    assert stored.availability == tuple(c.window for c in THURSDAY)
    [message] = smtp.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Drop-in center: thank you for signing up to volunteer"
    assert "Ana" not in text_of(message) and "four-hour shifts" in text_of(message)
    with db.session(readonly=True) as s:
        [entry] = audit.recent(s, action="applicant signed up")
    assert (entry.actor, entry.target, entry.detail) == ("public page", f"applicant {done.applicant_id}", "")
    [queued] = _messages()
    assert (queued.kind, queued.applicant_id, queued.volunteer_id, queued.recipient) == (
        "applied", done.applicant_id, None, f"applicant {done.applicant_id}")
    box = outbox.load()
    assert box.names[queued.recipient] == "Ana Reyes (applicant)"


def test_a_known_email_or_phone_gets_the_same_answer_stores_nothing_and_at_most_one_email_a_day(url, smtp):
    with db.session() as s:
        bea = add_volunteer(s, VolunteerRecord("Bea Cole", email="bea@example.org", phone="816-555-0100"))
    signup.sign_up(**form(), clock=lambda: T0)
    smtp.wait_for(1)
    later = T0 + timedelta(hours=1)
    answers = [signup.sign_up(**form(name="Someone Else", email="ANA@example.org"), clock=lambda: T0),
               signup.sign_up(**form(name="Ana R.", email="ana@example.org"), clock=lambda: later),
               signup.sign_up(**form(name="Bea", email="bea@example.org"), clock=lambda: T0),
               signup.sign_up(**form(email="", phone="(816) 555 0100"), clock=lambda: T0)]
    assert [a.outcome for a in answers] == ["known"] * 4
    assert [a.name for a in _applicants()] == ["Ana Reyes"]
    got = smtp.wait_for(3)  # the confirmation; one "we have your details" each to Ana and Bea, that day
    assert sorted(m["To"] for m in got[1:]) == ["ana@example.org", "bea@example.org"]
    assert all(m["Subject"] == "Drop-in center: we have your details already" for m in got[1:])
    kinds = Counter((m.kind, m.volunteer_id, m.applicant_id is not None) for m in _messages())
    assert kinds == {("applied", None, True): 2, ("applied", bea.id, False): 1}
    signup.sign_up(**form(), clock=lambda: T0 + timedelta(days=1))  # the next day: one more
    assert len(_messages()) == 4


def test_the_honeypot_stores_and_sends_nothing_but_answers_the_same(url):
    done = signup.sign_up(**form(), honeypot="http://spam.example", session_limit=limits.SessionLimit())
    assert done.outcome == "honeypot"
    assert _applicants() == [] and _messages() == []


# ---------------------------------------------------------------- limits and a flood


def test_a_flood_of_1000_sign_ups_is_refused_politely_and_never_fills_the_database(url, monkeypatch):
    """A script opening a new session per request: only the page-wide limit (in the database) holds."""
    monkeypatch.setattr(linkmail, "send_soon", lambda: None)
    answers: Counter[str] = Counter()
    started = time.perf_counter()
    for i in range(1000):
        try:
            signup.sign_up(**form(name=f"Flood {i}", email=f"flood{i}@example.org"))
        except signup.SignUpLimited as err:
            answers[err.messages[0]] += 1
        else:
            answers["stored"] += 1
    seconds = time.perf_counter() - started
    print(f"\n1,000 sign-ups in {seconds:.2f} s: {dict(answers)}")
    assert answers == {"stored": limits.PER_MINUTE, limits.PAGE_BUSY: 1000 - limits.PER_MINUTE}
    assert len(_applicants()) == len(_messages()) == limits.PER_MINUTE
    with db.session(readonly=True) as s:
        assert len(audit.recent(s, limit=5000)) == limits.PER_MINUTE
    assert seconds < 60


def test_the_page_limit_opens_again_each_minute_until_too_many_wait(url):
    page = limits.PageLimit(per_minute=5, max_waiting=12)
    answers = []
    for minute in range(3):
        for i in range(6):
            try:
                signup.sign_up(**form(name=f"P {minute} {i}", email=f"p{minute}.{i}@example.org"),
                               page_limit=page, clock=lambda m=minute: T0 + timedelta(minutes=m, seconds=1))
            except signup.SignUpLimited as err:
                answers.append(err.messages[0])
            else:
                answers.append("stored")
    busy, full = limits.PAGE_BUSY, limits.PAGE_FULL
    assert answers == ["stored"] * 5 + [busy] + ["stored"] * 5 + [busy] + ["stored"] * 2 + [full] * 4
    assert len(_applicants()) == 12


def test_one_session_may_sign_up_three_times_an_hour(url):
    now = [0.0]
    mine = limits.SessionLimit(clock=lambda: now[0])
    for i in range(3):
        signup.sign_up(**form(name=f"Ana {i}", email=f"ana{i}@example.org"), session_limit=mine)
    with pytest.raises(signup.SignUpLimited, match="several times already"):
        signup.sign_up(**form(name="Ana 3", email="ana3@example.org"), session_limit=mine)
    now[0] = limits.SESSION_WINDOW + 1
    signup.sign_up(**form(name="Ana 4", email="ana4@example.org"), session_limit=mine)
    assert [a.name for a in _applicants()] == ["Ana 0", "Ana 1", "Ana 2", "Ana 4"]


# ---------------------------------------------------------------- the pipeline


def test_one_click_per_stage_to_cleared_puts_them_on_the_roster_untrained_and_invites_them(url, smtp):
    applicant_id = signup.sign_up(**form(phone="816-555-0177")).applicant_id
    assert applicant_id is not None
    assert pipeline.advance(applicant_id, "new", "coordinator", BASE).text == "Ana Reyes: Contacted."
    pipeline.advance(applicant_id, "contacted", "coordinator", BASE)
    with pytest.raises(ApplicantError, match="moved by someone else meanwhile"):
        pipeline.advance(applicant_id, "contacted", "coordinator", BASE)  # a second coordinator's old page
    moved = pipeline.advance(applicant_id, "check_requested", "coordinator", BASE)
    assert moved.text.startswith("Ana Reyes is cleared: on the roster now, untrained")
    assert moved.warning is None
    [entry] = pipeline.pipeline().entries
    with db.session(readonly=True) as s:
        person = get_volunteer(s, entry.applicant.volunteer_id)
        stages = [e.detail for e in reversed(audit.recent(s, action="applicant stage"))]
    assert person is not None and not person.trained and person.check_status == "cleared"
    assert (person.name, person.email, person.phone) == ("Ana Reyes", "ana@example.org", "816-555-0177")
    assert person.availability == tuple(c.window for c in THURSDAY) and person.does == {"shift"}
    assert (entry.applicant.name, entry.applicant.email, entry.applicant.availability) == ("", None, ())
    assert (entry.name, entry.email, entry.shadow_shifts, entry.ready) == ("Ana Reyes", "ana@example.org", 0,
                                                                            False)
    assert stages == ["New -> Contacted", "Contacted -> Background check requested",
                      "Background check requested -> Cleared"]
    invite = smtp.wait_for(2)[1]
    assert invite["To"] == "ana@example.org" and "/join?token=" in text_of(invite)
    assert pipeline.advance(applicant_id, "cleared", "coordinator").text == "Ana Reyes: Shadowing."
    with pytest.raises(ApplicantError, match="cannot move"):
        pipeline.advance(applicant_id, "shadowing", "coordinator", to="new")


def test_without_email_the_cleared_applicant_gets_a_printed_code_instead(url):
    applicant_id = signup.sign_up(**form(email="", phone="816-555-0177")).applicant_id
    assert applicant_id is not None
    for stage in ("new", "contacted"):
        pipeline.advance(applicant_id, stage, "coordinator", BASE)
    moved = pipeline.advance(applicant_id, "check_requested", "coordinator", BASE)
    assert moved.warning == "No email address: print an invitation code for them on the Roster page."


def test_declined_and_stale_applicants_are_erased_after_the_retention_days_keeping_only_counts(url):
    with db.session() as s:
        save_settings(s, CenterSettings(applicant_retention_days=30))
    ids = [signup.sign_up(**form(name=name, email=f"{name.lower()}@example.org"),
                          clock=lambda: T0).applicant_id for name in ("Declined", "Stale", "Moving")]
    pipeline.decline(ids[0], "new", "coordinator", now=T0 + timedelta(days=1))
    pipeline.advance(ids[2], "new", "coordinator", now=T0 + timedelta(days=20))
    with pytest.raises(ApplicantError, match="declined; nothing was changed"):
        pipeline.advance(ids[0], "new", "coordinator")
    assert retention.erase_due(T0 + timedelta(days=29)) == 0
    assert retention.erase_due(T0 + timedelta(days=31)) == 2
    assert [a.name for a in _applicants()] == ["Moving"]
    with db.session(readonly=True) as s:
        assert applicants.tallies(s) == {("declined", "new"): 1, ("stale", "new"): 1}
        erased = [(e.actor, e.target, e.detail) for e in audit.recent(s, action="applicant erased")]
        declined = audit.recent(s, action="applicant declined")
    assert sorted(erased) == [("retention", f"applicant {ids[0]}", "declined"),
                              ("retention", f"applicant {ids[1]}", "stale")]
    assert [e.detail for e in declined] == ["New"]
    assert {m.applicant_id for m in _messages()} == {ids[2]}  # their confirmations went with them
    everything = json.dumps(backup.dump(url))
    assert "Declined" not in everything and "stale@example.org" not in everything
    assert retention.erase_due(T0 + timedelta(days=51)) == 1  # "Moving" stalled 30 days after day 20


# ---------------------------------------------------------------- training


def _cleared(name: str, chosen: list[SlotChoice], when: datetime) -> tuple[int, int]:
    """(applicant id, volunteer id) of someone signed up and cleared at `when`."""
    applicant_id = signup.sign_up(**form(name=name, email="", phone="816-555-0177", chosen=chosen),
                                  clock=lambda: when).applicant_id
    assert applicant_id is not None
    for stage in ("new", "contacted", "check_requested"):
        pipeline.advance(applicant_id, stage, "coordinator", now=when)
    with db.session(readonly=True) as s:
        found = applicants.get(s, applicant_id)
    assert found is not None and found.volunteer_id is not None
    return applicant_id, found.volunteer_id


def test_shadow_shifts_are_counted_from_plans_and_check_ins_then_the_trainee_is_marked_trained(url):
    first_week = monday_of(date.today()) - timedelta(weeks=5)
    applicant_id, ana = _cleared("Ana Trainee", FRIDAY_AM, datetime.combine(first_week, clock_time(8)))
    with db.session() as s:
        bea = add_volunteer(s, VolunteerRecord("Bea Trained", trained=True, check_status="cleared",
                                               availability=(WeeklyWindow.parse("Fri 09:00-17:00"),))).key
        cy = add_volunteer(s, VolunteerRecord("Cy Untrained", check_status="cleared",
                                              availability=(WeeklyWindow.parse("Fri 09:00-17:00"),))).key
    ana_key = f"v{ana:02d}"
    with db.session(readonly=True) as s:
        problem = build_problem(s, first_week)
    assert problem.volunteer(ana_key).in_training and not problem.volunteer(cy).in_training
    # Week 1: both checked in. Week 2: Bea missed her check-in but Ana named her at the kiosk. Week 3: Ana
    # came, but nobody trained checked in beside her. Week 4: both again. Week 5: Ana did not come.
    plan = {1: (True, True, False), 2: (True, False, True), 3: (True, False, False), 4: (True, True, False),
            5: (False, True, False)}
    for n, (ana_came, bea_came, named) in plan.items():
        week = first_week + timedelta(weeks=n - 1)
        slot = f"{week + timedelta(days=4)}-am"
        with db.session() as s:
            plans.publish_assignments(s, week, [Assignment(slot, ana_key), Assignment(slot, bea)],
                                      based_on=None)
            at = datetime.combine(week + timedelta(days=4), clock_time(15))
            for who, came in ((ana_key, ana_came), (bea, bea_came)):
                if came:
                    attendance.check_in(s, slot, who, at)
            if named:
                attendance.set_trained_by(s, slot, ana_key, bea, actor="kiosk")
    [entry] = [e for e in pipeline.pipeline().entries if e.applicant.id == applicant_id]
    assert (entry.shadow_shifts, entry.ready) == (3, True)
    assert pipeline.advance(applicant_id, "cleared", "coordinator", to="trained").text.startswith(
        "Ana Trainee is trained")
    with db.session(readonly=True) as s:
        assert get_volunteer(s, ana).trained
        assert not build_problem(s, first_week).volunteer(ana_key).in_training
        assert applicants.get(s, applicant_id).stage == "trained"


def test_shadow_shifts_count_only_planned_checked_in_shifts_beside_someone_trained():
    planned = [Assignment("fri-am", "v01"), Assignment("fri-am", "v02"), Assignment("fri-pm", "v01"),
               Assignment("fri-pm", "v03"), Assignment("fri-dinner", "v01"), Assignment("fri-dinner", "v02"),
               Assignment("sat-am", "v01"), Assignment("sat-am", "v02")]
    day = date(2026, 12, 4)
    came = datetime(2026, 12, 4, 15)
    seen = [Attendance(s, v, day, came) for s, v in (("fri-am", "v01"), ("fri-am", "v02"), ("fri-pm", "v01"),
                                                     ("fri-pm", "v03"), ("fri-dinner", "v01"),
                                                     ("fri-dinner", "v02"), ("sat-am", "v02"))]
    shifts = {"fri-am", "fri-pm", "sat-am"}
    # fri-am counts; fri-pm: v03 is not trained; dinner is no shift; sat-am: v01 did not check in.
    assert shadow_shifts("v01", planned, shifts, seen, {"v02"}) == 1
    named = [s for s in seen if (s.slot, s.volunteer) != ("fri-pm", "v01")]
    named.append(Attendance("fri-pm", "v01", day, came, trained_by="v03"))  # named at the kiosk: counts
    assert shadow_shifts("v01", planned, shifts, named, {"v02"}) == 2


def test_the_kiosk_records_trained_by_only_for_people_on_the_slot(url):
    week = monday_of(date.today())
    slot = f"{week + timedelta(days=4)}-am"
    with db.session() as s:
        ana, bea, cy = (add_volunteer(s, VolunteerRecord(n, check_status="cleared")).key for n in "ABC")
        plans.publish_assignments(s, week, [Assignment(slot, ana), Assignment(slot, bea)], based_on=None)
    from planner.core.errors import AttendanceError

    with pytest.raises(AttendanceError, match="has not checked in"), db.session() as s:
        attendance.set_trained_by(s, slot, ana, bea)
    with db.session() as s:
        attendance.check_in(s, slot, ana, utcnow())
    with pytest.raises(AttendanceError, match="is not on this slot"), db.session() as s:
        attendance.set_trained_by(s, slot, ana, cy)
    with db.session() as s:
        attendance.set_trained_by(s, slot, ana, bea, actor="kiosk")
    with db.session(readonly=True) as s:
        rows = attendance.list_attendance(s, week, week + timedelta(days=6))
    [row] = [a for a in rows if a.volunteer == ana]
    assert row.trained_by == bea


def test_an_applicant_erased_from_the_roster_leaves_the_pipeline_as_a_count(url):
    applicant_id, volunteer_id = _cleared("Ana Gone", THURSDAY, T0)
    with db.session() as s:
        erase_volunteer(s, volunteer_id, actor="coordinator")
    assert retention.erase_due() == 1
    with db.session(readonly=True) as s:
        assert applicants.get(s, applicant_id) is None
        assert applicants.tallies(s) == {("left", "cleared"): 1}


# ---------------------------------------------------------------- leadership: counts, and counted in


def test_the_what_if_with_the_applicants_counted_in_equals_the_roster_with_them_added(demo_db):
    """The demo center has four applicants free on Thursdays, none on the roster yet."""
    with db.session(readonly=True) as s:
        settings = load_settings(s)
        joining = [a for a in applicants.list_applicants(s)]
    week = monday_of(date.today()) + timedelta(weeks=1)
    assert leadership.pipeline(settings, week, [3]) == {"Thursday": {"new": 2, "contacted": 1,
                                                                     "check_requested": 1}}
    asked = {"max_shifts": 1, "max_meals": 1, "available": "candidate", "buffer_rate": 0.0}

    def counts(study) -> list[tuple]:  # noqa: ANN001
        return [(d.label, d.extra_volunteers, d.extra_trained, d.extra_meal_providers, d.optimal)
                for d in study.days]

    without = counts(leadership.ask(settings, week, [3], **asked))
    counted_in = counts(leadership.ask(settings, week, [3], **asked, with_applicants=True))
    with db.session() as s:
        for applicant in joining:
            add_volunteer(s, as_volunteer(applicant), actor="test")
    on_roster = counts(leadership.ask(settings, week, [3], **asked))
    print(f"\nThursday: {without} without the applicants, {counted_in} counted in, {on_roster} on the roster")
    assert counted_in == on_roster and all(c[-1] for c in counted_in)
    assert counted_in[0][1] < without[0][1] and counted_in[0][3] < without[0][3]


def test_pipeline_counts_by_day_leave_out_declined_trained_and_other_days(url):
    offers = [("shifts", THURSDAY), ("dinner", DINNERS), ("shifts", FRIDAY_AM), ("shifts", THURSDAY)]
    ids = [signup.sign_up(**form(name=f"P{i}", email=f"p{i}@example.org", offer=offer,
                                 chosen=chosen)).applicant_id for i, (offer, chosen) in enumerate(offers)]
    pipeline.decline(ids[3], "new", "coordinator")
    pipeline.advance(ids[0], "new", "coordinator")
    week = monday_of(date.today())
    assert leadership.pipeline(CENTER, week, [0, 3]) == {"Monday": {"new": 1},
                                                        "Thursday": {"contacted": 1, "new": 1}}
    moved = replace(CENTER, open_weekdays=(5, 6))
    assert leadership.pipeline(moved, week, [4]) == {"Friday": {"new": 2}}


def test_the_app_s_background_sender_erases_the_applicants_whose_time_is_up(url):
    """Without anyone opening the Applicants page: the sender's round does it, in every app process."""
    from planner.services import sender

    with db.session() as s:
        save_settings(s, CenterSettings(applicant_retention_days=30))
    old = signup.sign_up(**form(), clock=lambda: utcnow() - timedelta(days=31)).applicant_id
    running = sender.Sender(30).start()
    try:
        deadline = time.monotonic() + 20
        while _applicants() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        running.stop()
    assert _applicants() == []
    with db.session(readonly=True) as s:
        assert [e.target for e in audit.recent(s, action="applicant erased")] == [f"applicant {old}"]
