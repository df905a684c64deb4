"""Public: log in by the link from "Email me a sign-in link" (when the center allows it).

Opening the link changes nothing (mail scanners open links before people
do); the button spends it. A wrong, used or expired link shows one plain
message.
"""

import streamlit as st

from planner.core.errors import PlannerError
from planner.services import sessions
from planner.ui import flash, session

st.title("Log in by email link")
if session.current_user() is not None:
    st.info("You are logged in already.")
    st.stop()

token = str(st.query_params.get("token", ""))
try:
    sessions.link_account(token)
except PlannerError as err:
    flash.say("error", "; ".join(err.messages))
    st.stop()

st.caption("This link works once, for 15 minutes after it was sent.")
if st.button("Log me in", type="primary", key="use_sign_in_link"):
    try:
        _, ticket = sessions.use_link(token, session.this_browser())
    except PlannerError as err:
        flash.say("error", "; ".join(err.messages))
        st.stop()
    session.follow_ticket(ticket, "/")
