"""AppTest, issue 17: each state of the public "Volunteer with us" page, the coordinator's Applicants page,
the what-if's pipeline counts, the new settings and the kiosk's "who is training you?"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from planner.core.applicants import slot_choices
from planner.core.clock import center_now
from planner.core.domain import monday_of
from planner.core.problem import Assignment
from planner.present import applicants as words
from planner.present.text import unescape
from planner.services import applicants as pipeline
from planner.services import limits, linkmail, signup
from planner.store import applicants, attendance, audit, db, plans
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings, save_settings
from tests.apptest import button, messages, open_app, shown

PUBLIC = "pages/public/volunteer.py"
PAGE = "pages/coordinator/applicants.py"
WHATIF = "pages/leadership/whatif.py"
SETTINGS = "pages/coordinator/settings.py"
CHECKIN = "pages/coordinator/checkin.py"


@pytest.fixture(autouse=True)
def _quiet_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SMTP here: link emails stay queued (the browser test sends them)."""
    monkeypatch.setattr(linkmail, "send_soon", lambda: None)
    for name in ("PLANNER_SMTP_HOST", "PLANNER_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("planner.services.config.SECRETS_FILES", ())


def _public() -> AppTest:
    at = open_app(None, PUBLIC)
    assert not at.exception, at.exception
    return at


def _fill(at: AppTest, name: str = "Noor Haddad", email: str = "noor@example.org", *, offer: str = "shifts",
          days: tuple[int, ...] = (3,), consent: bool = True, honeypot: str = "") -> AppTest:
    at.text_input(key="volunteer_name").input(name)
    at.text_input(key="volunteer_email").input(email)
    if offer:
        at.radio(key="volunteer_offer").set_value(offer)
    choices = slot_choices(_settings())
    for day in days:
        at.pills(key=f"volunteer_day_{day}").set_value([c for c in choices[day] if c.kind == "shift"])
    at.checkbox(key="volunteer_consent").set_value(consent)
    if honeypot:
        at.text_input(key="volunteer_website").input(honeypot)
    at.button(key="FormSubmitter:volunteer_form-Sign up").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _settings():  # noqa: ANN202 - CenterSettings
    with db.session(readonly=True) as s:
        return load_settings(s)


def _names() -> list[str]:
    with db.session(readonly=True) as s:
        return [a.name for a in applicants.list_applicants(s)]


# ---------------------------------------------------------------- the public page


def test_the_public_page_asks_the_minimum_and_says_what_it_never_asks(demo_db):
    at = _public()
    assert at.title[0].value == "Volunteer with Demo drop\\-in center"
    assert words.NOT_ASKED in [c.value for c in at.caption]
    assert [p.label for p in at.pills] == ["Friday (open now)", "Saturday (open now)", "Sunday (open now)",
                                           "Monday (if we open it)", "Tuesday (if we open it)",
                                           "Wednesday (if we open it)", "Thursday (if we open it)"]
    assert at.pills[0].options == ["Morning 09:00-13:00", "Afternoon 13:00-17:00", "Dinner 17:00-18:00"]
    labels = [t.label for t in at.text_input]
    assert labels == ["Your name", "Email", "Phone", "Leave this field empty"]
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-volunteer_website { display: none; }" in styles  # hidden from people and screen readers
    text = shown(at).lower()
    assert not any(word in text.replace("never ask about survivor status, your history or your health", "")
                   for word in ("survivor", "history", "health", "trauma"))


@pytest.mark.parametrize("username", ["coordinator", "leadership", "volunteer"])
def test_the_public_page_is_the_same_form_for_anyone_and_shows_nobody_s_data(demo_db, username):
    at = open_app(username, PUBLIC)
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input][:3] == ["Your name", "Email", "Phone"]
    assert not at.dataframe and "@" not in shown(at) and "Rina" not in shown(at)


def test_bad_fields_are_each_named_and_nothing_is_stored(demo_db):
    before = _names()
    at = _fill(_public(), name="", email="not-an-email", offer="", days=(), consent=False)
    assert messages(at, "error") == [
        "Not sent yet: please check these, then press Sign up again.", "name: is required",
        'email: "not-an-email" is not an email address', "offer: choose shifts, dinner or both",
        "background check: please agree to it; the center needs one before you volunteer"]
    assert _names() == before
    assert at.text_input(key="volunteer_email").value == "not-an-email"  # kept to correct


def test_new_known_and_honeypot_sign_ups_get_the_very_same_page(demo_db):
    new = _fill(_public())
    known = _fill(_public(), name="Someone Else", email="NOOR@example.org")
    trapped = _fill(_public(), name="Bot", email="bot@example.org", honeypot="http://spam.example")
    assert messages(new, "success") == [words.THANKS]
    assert shown(new) == shown(known) == shown(trapped)
    assert _names().count("Noor Haddad") == 1 and "Someone Else" not in _names() and "Bot" not in _names()


def test_one_session_signs_up_a_few_people_then_is_told_politely(demo_db):
    at = _public()
    for n in range(limits.PER_SESSION):
        _fill(at, name=f"Friend {n}", email=f"friend{n}@example.org")
        assert messages(at, "success") == [words.THANKS]
        button(at, "Sign up someone else").click().run()
    _fill(at, name="One more", email="one.more@example.org")
    assert messages(at, "warning") == [limits.SESSION_FULL]
    assert "One more" not in _names()


def test_a_full_minute_is_refused_politely(demo_db):
    dinners = [c for c in slot_choices(_settings())[5] if c.kind == "meal"]
    for n in range(limits.PER_MINUTE):
        signup.sign_up(name=f"Early {n}", email=f"early{n}@example.org", phone="", offer="dinner",
                       chosen=dinners, consent=True)
    at = _fill(_public())
    assert messages(at, "warning") == [limits.PAGE_BUSY]
    assert "Noor Haddad" not in _names()


# ---------------------------------------------------------------- the coordinator's Applicants page


def _applicants_page() -> AppTest:
    at = open_app("coordinator", PAGE)
    assert not at.exception, at.exception
    return at


def _id(name: str) -> int:
    with db.session(readonly=True) as s:
        return next(a.id for a in applicants.list_applicants(s) if a.name == name)


def test_the_page_groups_the_demo_applicants_by_stage_with_time_in_each(demo_db):
    at = _applicants_page()
    assert [h.value for h in at.header] == ["New (2)", "Contacted (1)", "Background check requested (1)",
                                            "All applicants"]
    assert "4 applicants: 2 New, 1 Contacted, 1 Background check requested" in shown(at)
    table = at.dataframe[0].value.set_index("Name")
    assert table.loc["Ada M.", "Time per stage"] == ("New 2 days, Contacted 2 days, "
                                                     "Background check requested 8 days")
    assert table.loc["Tess O.", "Email"] == "" and table.loc["Tess O.", "Phone"] == "816-555-0191"
    assert at.code[0].value == "/volunteer"
    with db.session(readonly=True) as s:
        assert [e.target for e in audit.recent(s, action="contact view")] == ["applicants"]


def test_an_empty_pipeline_says_what_will_appear(demo_db):
    with db.session(readonly=True) as s:
        ids = [a.id for a in applicants.list_applicants(s)]
    with db.session() as s:
        for applicant_id in ids:
            applicants.erase(s, applicant_id, "stale", "test")
    at = _applicants_page()
    assert "Nobody has signed up yet" in at.info[0].value
    assert "Erased from the pipeline so far (counts only): 4 not followed up." in shown(at)


def test_one_click_moves_an_applicant_and_cleared_puts_them_on_the_roster(demo_db):
    at = _applicants_page()
    rina, ada = _id("Rina S."), _id("Ada M.")
    at.button(key=f"next_{rina}_new").click().run()
    assert messages(at, "success") == ["Rina S.: Contacted."]
    assert [h.value for h in at.header][:2] == ["New (1)", "Contacted (2)"]
    at.button(key=f"next_{ada}_check_requested").click().run()
    assert not at.exception, at.exception
    [said] = messages(at, "warning")
    assert said.startswith("Ada M. is cleared: on the roster now, untrained") and "invited" in said
    with db.session(readonly=True) as s:
        person = next(v for v in list_volunteers(s) if v.name == "Ada M.")
    assert not person.trained and [str(w) for w in person.availability] == ["Thu 09:00-13:00",
                                                                            "Thu 13:00-17:00"]
    assert "Cleared (1)" in [h.value for h in at.header]
    assert at.button(key=f"next_{ada}_cleared").label == "Move to Shadowing"


def test_a_click_after_someone_else_moved_the_applicant_moves_them_no_further(demo_db):
    """A second coordinator's click (or a double click) on the same stage does nothing more."""
    at = _applicants_page()
    rina = _id("Rina S.")
    pipeline.advance(rina, "new", "someone else")
    at.button(key=f"next_{rina}_new").click().run()
    assert not at.exception and not messages(at, "success")
    with db.session(readonly=True) as s:
        assert applicants.get(s, rina).stage == "contacted"
    assert at.button(key=f"next_{rina}_contacted").label == "Move to Background check requested"


def test_declining_keeps_them_listed_until_erased(demo_db):
    at = _applicants_page()
    lou = _id("Lou B.")
    at.button(key=f"decline_{lou}_new").click().run()
    assert messages(at, "success") == [
        "Lou B.: Declined. Their details are erased in 60 days; only a count stays."]
    assert "Declined (1)" in [h.value for h in at.header]
    assert not [b for b in at.button if b.key.startswith(f"decline_{lou}_")]


def test_a_trainee_with_enough_shadow_shifts_is_offered_to_be_marked_trained(demo_db):
    """Three past Fridays published with the trainee beside a trained demo volunteer, both checked in."""
    ada = _id("Ada M.")
    first = monday_of(date.today()) - timedelta(weeks=4)
    pipeline.advance(ada, "check_requested", "coordinator", now=datetime.combine(first, time(6)))
    with db.session() as s:
        trainee = next(v for v in list_volunteers(s) if v.name == "Ada M.").key
        mentor = next(v for v in list_volunteers(s) if v.trained and v.check_status == "cleared").key
        for n in range(3):
            week = first + timedelta(weeks=n)
            slot = f"{week + timedelta(days=4)}-am"
            plans.publish_assignments(s, week, [Assignment(slot, trainee), Assignment(slot, mentor)],
                                      based_on=None)
            for who in (trainee, mentor):
                attendance.check_in(s, slot, who, datetime.combine(week + timedelta(days=4), time(15)))
    at = _applicants_page()
    assert at.header[0].value == "Ready to be marked trained"
    assert ("Ada M. has worked 3 shifts beside trained volunteers (the center asks for 3). Mark them "
            "trained?") in shown(at)
    at.button(key=f"train_{ada}_cleared").click().run()
    assert messages(at, "success")[0].startswith("Ada M. is trained")
    with db.session(readonly=True) as s:
        assert next(v for v in list_volunteers(s) if v.name == "Ada M.").trained
    assert "Ready to be marked trained" not in [h.value for h in at.header]


# ---------------------------------------------------------------- leadership, settings, kiosk


def _compute(counted_in: bool) -> AppTest:
    at = open_app("leadership", WHATIF, timeout=120)
    at.multiselect(key="whatif_days").set_value([3])
    at.number_input(key="whatif_buffer").set_value(0)
    at.checkbox(key="whatif_applicants").set_value(counted_in)
    button(at, "Compute").click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_what_if_says_how_far_the_pipeline_goes_in_counts_only(demo_db):
    at = _compute(counted_in=False)
    bullets = [unescape(m.value)[2:] for m in at.markdown if m.value.startswith("- ")]
    assert bullets[0].startswith("Opening Thursday needs ")
    assert bullets[0].endswith(". The pipeline has 4 applicants free on Thursdays: 1 background check "
                               "requested, 1 contacted, 2 new.")
    assert words.ON_ROSTER_NOTE in [c.value for c in at.caption]
    page = shown(at)
    assert not any(name in page for name in ("Rina", "Tess", "Ada", "Lou", "example.org", "816-555"))
    counted = _compute(counted_in=True)
    after = [unescape(m.value)[2:] for m in counted.markdown if m.value.startswith("- ")]
    assert after[0].startswith("Opening Thursday needs ") and after[0].endswith(bullets[0].split(". ", 1)[1])
    assert int(after[0].split()[3]) < int(bullets[0].split()[3])  # "needs N more": fewer, counted in
    assert words.COUNTED_IN_NOTE in [c.value for c in counted.caption]


def test_the_settings_page_saves_the_sign_up_and_training_settings(demo_db):
    at = open_app("coordinator", SETTINGS)
    at.text_area(key="volunteer_page_text").input("Come and help on Fridays.")
    at.number_input(key="applicant_retention_days").set_value(30)
    at.number_input(key="shadow_shifts_needed").set_value(2)
    at.toggle(key="kiosk_trained_by").set_value(True)
    at.run()
    at.button(key="save_settings").click().run()
    assert not at.exception, at.exception
    saved = _settings()
    assert (saved.volunteer_page_text, saved.applicant_retention_days, saved.shadow_shifts_needed,
            saved.kiosk_trained_by) == ("Come and help on Fridays.", 30, 2, True)
    public = _public()
    assert [m.value for m in public.markdown][0] == "Come and help on Fridays\\."


def test_the_kiosk_asks_a_trainee_who_is_training_them(demo_db):
    from planner.ui.session import KIOSK_KEY

    ada = _id("Ada M.")
    pipeline.advance(ada, "check_requested", "coordinator")
    with db.session() as s:
        settings = replace(load_settings(s), open_weekdays=tuple(range(7)), kiosk_trained_by=True)
        save_settings(s, settings)
        today = center_now(settings.timezone).date()
        slot = next(sl for sl in settings.week_slots(monday_of(today)) if sl.day == today)
        trainee = next(v for v in list_volunteers(s) if v.name == "Ada M.")
        mentor = next(v for v in list_volunteers(s) if v.trained and v.check_status == "cleared")
        plans.publish_assignments(s, monday_of(today), [Assignment(slot.id, trainee.key),
                                                        Assignment(slot.id, mentor.key)], based_on=None)
    at = open_app("coordinator")
    at.session_state[KIOSK_KEY] = True
    at.switch_page(CHECKIN).run()
    at.button(key=f"tap_{slot.id}_{mentor.key}").click().run()
    assert not [s for s in at.subheader if "who is training you" in s.value]  # trained people are not asked
    at.button(key=f"tap_{slot.id}_{trainee.key}").click().run()
    assert [unescape(s.value) for s in at.subheader] == ["Ada M., who is training you today?"]
    short = mentor.name.split()[0] + " " + mentor.name.split()[-1][0] + "."
    at.button(key=f"trainer_{mentor.key}").click().run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value) == "Have a good shift, Ada M.!"
    assert short in unescape(at.button(key=f"tap_{slot.id}_{mentor.key}").label)
    with db.session(readonly=True) as s:
        rows = {a.volunteer: a for a in attendance.list_attendance(s, today, today)}
    assert rows[trainee.key].trained_by == mentor.key


def test_the_plan_page_reports_the_trainee_goal_like_the_other_soft_goals(demo_db):
    tess = _id("Tess O.")  # free on Saturday afternoons, among others
    pipeline.advance(tess, "contacted", "coordinator")
    pipeline.advance(tess, "check_requested", "coordinator")
    at = open_app("coordinator", "pages/coordinator/plan_week.py", timeout=120)
    at.button(key="plan_button").click()
    at.run()
    assert not at.exception, at.exception
    lines = [unescape(line[2:]) for m in at.markdown for line in m.value.splitlines()]
    assert "Shifts not given to trainees: 0." in lines
