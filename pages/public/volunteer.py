"""Public: "Volunteer with us", the center's sign-up page for newcomers; no sign-in (issue 17).

It asks for the minimum: a name, an email or a phone, shifts or dinner or
both, the times they could come (the days the center opens, and the days it
might), and consent to a background check. Whatever became of a sign-up that
passed the checks, the page answers the same (`services.signup`). A field
hidden from people and screen readers (`display: none`) catches programs
that fill in every field.
"""

import logging

import streamlit as st

from planner.core.applicants import day_caption, slot_choices
from planner.core.errors import PlannerError
from planner.present import applicants as shown
from planner.present.text import md_escape
from planner.services import limits, settings, signup
from planner.ui import flash

HONEYPOT = "volunteer_website"  # its container gets the class `st-key-volunteer_website`
DONE_KEY = "volunteer_signed_up"
LIMIT_KEY = "volunteer_session_limit"
log = logging.getLogger(__name__)

center = settings.load()
st.title(md_escape(f"Volunteer with {center.name}"))
if center.volunteer_page_text.strip():
    st.markdown(md_escape(center.volunteer_page_text))
st.caption(shown.NOT_ASKED)

if st.session_state.get(DONE_KEY):
    st.success(shown.THANKS)
    if st.button("Sign up someone else", key="volunteer_another"):  # a friend beside them (a few an hour)
        st.session_state.pop(DONE_KEY, None)
        st.rerun()
    st.stop()

st.html(f"<style>.st-key-{HONEYPOT} {{ display: none; }}</style>")
choices = slot_choices(center)
with st.form("volunteer_form"):
    name = st.text_input("Your name", max_chars=100, autocomplete="name", key="volunteer_name")
    left, right = st.columns(2)
    email = left.text_input("Email", max_chars=254, autocomplete="email", key="volunteer_email")
    phone = right.text_input("Phone", max_chars=40, autocomplete="tel", key="volunteer_phone")
    st.caption("An email or a phone is enough; give both if you like.")
    offer = st.radio("I would like to", list(shown.OFFER_LABELS), index=None,
                     format_func=shown.OFFER_LABELS.get, key="volunteer_offer")
    st.markdown("**When could you come?** Tick every time that suits you, on the days we open now and the "
                "days we might open with more volunteers.")
    chosen = []
    for weekday, day_choices in choices.items():
        chosen += st.pills(day_caption(weekday, center), day_choices, selection_mode="multi",
                           format_func=lambda c: c.label, key=f"volunteer_day_{weekday}") or []
    consent = st.checkbox("I agree to a background check before I volunteer (the center arranges it)",
                          key="volunteer_consent")
    website = st.text_input("Leave this field empty", key=HONEYPOT, autocomplete="off")
    sent = st.form_submit_button("Sign up", type="primary")

if sent:
    limit = st.session_state.setdefault(LIMIT_KEY, limits.SessionLimit())
    try:
        signup.sign_up(name=name, email=email, phone=phone, offer=offer, chosen=chosen, consent=consent,
                       honeypot=website, session_limit=limit)
    except signup.SignUpLimited as err:
        flash.say("warning", "; ".join(err.messages))
    except PlannerError as err:
        flash.say("error", "Not sent yet: please check these, then press Sign up again.")
        for message in err.messages:
            flash.say("error", message)
    except Exception:  # a traceback on a public page is a bug: log it, say it plainly
        log.exception("public sign-up failed")
        st.error("Something went wrong, so nothing was saved. Please try again later.")
    else:
        st.session_state[DONE_KEY] = True
        st.rerun()
