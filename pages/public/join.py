"""Public: a volunteer makes their account from an invitation, by its emailed link or the code on paper.

The link's token is only looked at when the page opens (mail scanners open
links before people do); it is spent when the form is sent. A wrong, used,
replaced or expired link shows one plain message and changes nothing.
"""

import streamlit as st

from planner.core.errors import PlannerError
from planner.services import invitations
from planner.ui import flash, session

st.title("Join the volunteer planner")
user = session.current_user()
if user is not None:
    flash.say("info", f"You are logged in as {user.display_name}. To join with an invitation, log out first.")
    st.stop()

token = str(st.query_params.get("token", "")) or None
if token is not None:
    try:
        invitee = invitations.check(token=token)
    except PlannerError as err:
        flash.say("error", "; ".join(err.messages))
        st.stop()
    flash.say("info", f"{invitee.center} invites you to its volunteer planner. Choose your username and "
                      "password; the link then stops working.")
    suggested = invitee.suggested_username
else:
    st.caption("Enter the code from your invitation paper, then choose your username and password.")
    suggested = ""

with st.form("join"):
    code = None if token else st.text_input("Invitation code", max_chars=40, placeholder="XXXX-XXXX-XXXX")
    username = st.text_input("Username", suggested, max_chars=40, autocomplete="username",
                             help="2-40 letters, digits, dots, dashes or underscores. Left empty, one is "
                                  "made from your name.")
    password = st.text_input("Password", type="password", autocomplete="new-password",
                             help="At least 8 characters.")
    again = st.text_input("Password again", type="password", autocomplete="new-password")
    sent = st.form_submit_button("Create my account", type="primary")

if sent:
    if password != again:
        flash.say("error", "The two passwords differ. Nothing was saved.")
        st.stop()
    try:
        account, ticket = invitations.join(username, password, token=token, code=code,
                                           browser=session.this_browser())
    except PlannerError as err:
        flash.say("error", flash.refused("Not joined", err))
        st.stop()
    session.follow_ticket(ticket, "/my-shifts")
