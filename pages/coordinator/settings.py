"""Coordinator: open days, hours, shift length and staffing per shift and meal; the public sign-up page."""

from dataclasses import replace
from datetime import date, time
from zoneinfo import available_timezones

import streamlit as st

from planner.core.domain import (
    MAX_NOTICE_HOURS,
    MAX_PAGE_TEXT,
    MAX_REMINDER_HOURS,
    MAX_RETENTION_DAYS,
    MAX_SHADOW_SHIFTS,
    default_week,
)
from planner.core.errors import PlannerError, StaleEdit
from planner.core.labels import WEEKDAY_NAMES
from planner.present.settings import needs_comparison
from planner.services import settings
from planner.ui import flash
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Center settings")
flash.show("settings")

current, stored_version = settings.load_for_edit()
# The version this person is editing: a save on top of someone else's newer one is refused.
seen_version = st.session_state.setdefault("settings_seen_version", stored_version)

c1, c2 = st.columns(2)
name = c1.text_input("Center name", current.name, max_chars=100)
place = c2.text_input("Place label shown to volunteers", current.place, max_chars=200)
days = st.multiselect("Open days", list(range(7)), default=list(current.open_weekdays),
                      format_func=lambda d: WEEKDAY_NAMES[d])
c1, c2, c3 = st.columns(3)
opens = c1.time_input("Opens", current.opens, step=1800)
closes = c2.time_input("Closes", current.closes, step=1800)
shift_hours = c3.number_input("Shift length (hours)", 1, 12, current.shift_hours)
st.header("People per shift")
c1, c2, c3 = st.columns(3)
shift_min = c1.number_input("Minimum", 0, 50, current.shift_min)
shift_target = c2.number_input("Target", 0, 50, current.shift_target)
shift_min_trained = c3.number_input("Trained at least", 0, 50, current.shift_min_trained)
st.header("Dinner")
meals = st.toggle("Serve dinner on open days", current.meals)
c1, c2, c3, c4 = st.columns(4)
meal_start = c1.time_input("Dinner from", current.meal_start, step=900, disabled=not meals)
meal_end = c2.time_input("Dinner until", current.meal_end, step=900, disabled=not meals)
meal_min = c3.number_input("Providers (minimum)", 0, 20, current.meal_min, disabled=not meals)
meal_target = c4.number_input("Providers (target)", 0, 20, current.meal_target, disabled=not meals)
zones = sorted(available_timezones())
timezone = st.selectbox("Time zone", zones, index=zones.index(current.timezone) if current.timezone in zones
                        else zones.index("UTC"))
show_names = st.toggle("Volunteers see the first names of their teammates", current.show_team_first_names)
reminder_hours = st.number_input("Email reminders, hours before a volunteer's first shift of the day", 1,
                                 MAX_REMINDER_HOURS, current.reminder_hours, key="reminder_hours",
                                 help="The app sends them itself while it runs; 24 is the day before.")
email_sign_in = st.toggle("Volunteers may log in by a link emailed to the address on their record",
                          current.email_sign_in,
                          help='The log-in form then offers "Email me a sign-in link": it works once, for 15 '
                               "minutes. Needs email (PLANNER_SMTP_HOST).")
st.header("Open places and alerts")
auto_offer = st.toggle("Offer short places to the volunteers who can take them automatically",
                       current.auto_offer, key="auto_offer",
                       help="A cancellation, or a published slot below its minimum, is offered at once (once "
                            "per slot; the Gaps page can offer it again). Links need PLANNER_PUBLIC_URL.")
c1, c2 = st.columns(2)
claim_cutoff_hours = c1.number_input(
    '"I can\'t make it" offers the shift onward until this many hours before it', 0, MAX_NOTICE_HOURS,
    current.claim_cutoff_hours, key="claim_cutoff_hours", help="Later, it goes to the coordinator only.")
short_alert_hours = c2.number_input(
    "Alert when a slot is still short this many hours before it (0: never)", 0, MAX_NOTICE_HOURS,
    current.short_alert_hours, key="short_alert_hours",
    help="A banner on the coordinators' pages, and an email to the address below.")
alert_email = st.text_input("Email the alert to", current.alert_email or "", max_chars=254, key="alert_email",
                            placeholder="coordinators@example.org (empty: the banner only)")
sms_show_center_name = st.toggle("Texts name the center", current.sms_show_center_name, key="sms_center_name",
                                 help="Off: texts say only the time and a link, as a phone may be shared.")

st.header("Volunteer sign-up and training")
page_text = st.text_area("Text of the public \"Volunteer with us\" page", current.volunteer_page_text,
                         max_chars=MAX_PAGE_TEXT, key="volunteer_page_text",
                         help="Shown as plain text under the center's name at /volunteer.")
c1, c2 = st.columns(2)
retention_days = c1.number_input("Erase declined or stalled applicants after (days)", 1, MAX_RETENTION_DAYS,
                                 current.applicant_retention_days, key="applicant_retention_days",
                                 help="Counted from the decline, or from their last step before the roster. "
                                      "Only anonymous counts stay.")
shadow_shifts = c2.number_input("Shifts beside trained volunteers before a trainee is trained", 1,
                                MAX_SHADOW_SHIFTS, current.shadow_shifts_needed, key="shadow_shifts_needed",
                                help="Counted from published plans and check-ins; then the Applicants page "
                                     "asks you to mark them trained.")
kiosk_trained_by = st.toggle("The check-in kiosk asks trainees who trained them", current.kiosk_trained_by,
                             key="kiosk_trained_by")

new = replace(current, name=name.strip() or current.name, place=place.strip(),
              open_weekdays=tuple(sorted(days)),
              opens=opens or time(9), closes=closes or time(17), shift_hours=int(shift_hours),
              shift_min=int(shift_min), shift_target=int(shift_target),
              shift_min_trained=int(shift_min_trained), meals=meals, meal_start=meal_start or time(17),
              meal_end=meal_end or time(18), meal_min=int(meal_min), meal_target=int(meal_target),
              timezone=timezone, show_team_first_names=show_names, reminder_hours=int(reminder_hours),
              email_sign_in=email_sign_in, auto_offer=auto_offer, claim_cutoff_hours=int(claim_cutoff_hours),
              short_alert_hours=int(short_alert_hours), alert_email=alert_email.strip() or None,
              sms_show_center_name=sms_show_center_name, volunteer_page_text=page_text.strip(),
              applicant_retention_days=int(retention_days), shadow_shifts_needed=int(shadow_shifts),
              kiosk_trained_by=kiosk_trained_by)

problems = new.problems()
for problem in problems:
    flash.say("error", problem)
if new != current and not problems:
    st.header("What this changes in a week")
    week = default_week(date.today(), current.open_weekdays)
    st.dataframe(needs_comparison(current.week_slots(week), new.week_slots(week)), hide_index=True,
                 key="needs")
if st.button("Save settings", type="primary", disabled=new == current or bool(problems), key="save_settings"):
    try:
        settings.save(new, user.username, expected_version=seen_version)
        st.session_state.pop("settings_seen_version", None)
        flash.later("settings", "success", "Settings saved. Plan the week again to use them.")
    except StaleEdit as err:
        # Shown once; the next save (after checking) goes on top of the newer version.
        st.session_state["settings_seen_version"] = err.current_version
        flash.later("settings", "error", flash.refused("Not saved", err))
    except PlannerError as err:
        flash.later("settings", "error", flash.refused("Not saved", err))
    st.rerun()
