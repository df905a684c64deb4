"""Public: an open place offered by email or text; one tap takes it, without a password.

Opening the link only shows the place (and marks the offer opened: mail
scanners open links before people do); the button takes it. A wrong,
tampered or ended link, or a place someone else took first, shows one plain
message and changes nothing. Nothing about any other volunteer is shown.
"""

import streamlit as st

from planner.core.errors import PlaceFilled, PlannerError
from planner.services import offers
from planner.ui import flash

st.title("An open volunteer place")
token = str(st.query_params.get("token", ""))
try:
    view = offers.look(token)
except PlannerError as err:
    flash.say("error", "; ".join(err.messages))
    st.stop()
if view.message:
    flash.say("success" if view.state == "mine" else "info", view.message)
    st.stop()

st.text(f"{view.title}\nat {view.place}")
st.caption(f"The first volunteer to take it gets it. This link works once, until "
           f"{view.until:%a %d %b %H:%M}.")
if st.button("Take this shift", type="primary", key="accept_offer"):
    try:
        done = offers.accept(token)
    except PlaceFilled as err:
        flash.say("info", "; ".join(err.messages))
    except PlannerError as err:
        flash.say("error", "; ".join(err.messages))
    else:
        flash.say("success", f"It is yours: {done.title}. Thank you! You will get the usual email about your "
                             "shifts, and it is on My shifts when you log in.")
