"""What every page run shares: the database ready once per process, who is signed in, errors said plainly."""

from __future__ import annotations

import logging

import streamlit as st

from planner.core.errors import PlannerError
from planner.present.offers import banner
from planner.present.text import md_escape
from planner.services import maintenance, offers
from planner.ui import session

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Preparing the database...")
def _startup() -> bool:
    """Once per server process: migrate the database, seed the demo center in demo mode."""
    maintenance.start_up()
    return True


def ready() -> None:
    """Stop with a plain message when the database cannot be reached (the log has the details)."""
    try:
        _startup()
    except Exception:
        log.exception("database start-up failed")
        st.error("The planner cannot reach its database. Please tell the coordinator; "
                 "the server log has the details.")
        st.stop()


def signed_in_bar(user: session.SessionUser) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(md_escape(f"Signed in as {user.display_name}, {session.ROLE_TITLES[user.role]}"))
    if right.button("Log out", key="log_out"):
        session.sign_out("You are logged out.")
        st.rerun()
    if user.role == "coordinator":
        short_alert()


def short_alert() -> None:
    """The coordinators' banner while a slot is still short within the center's alert hours."""
    try:
        hours, shorts = offers.alerts()
    except Exception:  # the page itself says when the store is down; the banner never breaks it
        log.exception("the short-slot alert failed")
        return
    text = banner(shorts, hours)
    if text:
        st.warning(md_escape(text), icon=":material/person_alert:")


def run(page: st.navigation) -> None:  # type: ignore[valid-type]
    """Run a page; a refusal it did not catch (a busy database, say) is shown as its message."""
    session.follow_navigation()  # after a logout: the browser drops its cookie
    try:
        page.run()  # type: ignore[attr-defined]
    except PlannerError as err:
        st.error(md_escape("; ".join(err.messages)))
