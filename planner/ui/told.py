"""After a publish: who is emailed about their changes, and whom to call instead (coordinators only).

Kept in the session (per page and week) until the next publish or "Hide",
so the list stays while the coordinator phones people. Phones shown are
recorded as a contact view.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner.present.outbox import call_table, told_sentence
from planner.present.text import table_safe
from planner.services import audit, outbox
from planner.services.publish import Published
from planner.ui import flash
from planner.ui.session import SessionUser


def _key(page: str) -> str:
    return f"{page}_told"


def later(page: str, week: date, done: Published) -> None:
    """Remember what the publish told, to show on the page's next run."""
    st.session_state[_key(page)] = (week, done.told)


def show(page: str, week: date, user: SessionUser) -> None:
    """The N / M sentence, the email problem if any, and the people to call with their phones."""
    kept = st.session_state.get(_key(page))
    if kept is None or kept[0] != week:
        return
    told = kept[1]
    flash.say("info", told_sentence(len(told.emailed), len(told.no_email)))
    problem = outbox.email_problem()
    if problem and told.emailed:
        flash.say("warning", f"{problem} Until then their messages wait in the Outbox.")
    if told.no_email:
        st.table(table_safe(call_table((c.name, c.phone) for c in told.no_email)), hide_index=True)
        audit.contact_view(user.username, page, sum(1 for c in told.no_email if c.phone),
                           memo=st.session_state)
    if st.button("Hide", key=f"{page}_told_hide"):
        st.session_state.pop(_key(page), None)
        st.rerun()
