"""Volunteer-coverage planner: the Streamlit entry point.

Routes with `st.navigation`. Every page is registered for every visitor (so a
deep link always runs the page, whose role gate shows the sign-in or a
refusal), but only the signed-in role's pages are visible in the menu.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from planner import ui_session
from planner.store.db import DatabaseBusy
from planner.views import md_escape

st.set_page_config(page_title="Volunteer coverage planner", page_icon=":material/volunteer_activism:",
                   layout="wide")


@st.cache_resource(show_spinner="Preparing the database...")
def _startup() -> bool:
    """Once per server process: migrate the database, seed the demo center in demo mode."""
    from planner.store import db

    db.migrate()
    if os.environ.get("PLANNER_DEMO") == "1":
        from planner import demo

        with db.session() as s:
            demo.seed_if_demo(s)
    return True


def _home() -> None:
    """The default page: the sign-in form, or straight to the role's first page."""
    user = ui_session.current_user()
    if user is None:
        st.title("Volunteer coverage planner")
        ui_session.sign_in_form()
        return
    st.switch_page(next(p.script for p in PAGES if user.role in p.roles))


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    url_path: str
    icon: str
    roles: tuple[str, ...]  # who sees it in the menu; the page's own role gate decides access


# In menu order; each role lands on the first page it sees.
PAGES = (
    PageSpec("pages/coordinator/plan_week.py", "Plan the week", "plan", ":material/calendar_month:",
             ("coordinator",)),
    PageSpec("pages/coordinator/gaps.py", "Gaps", "gaps", ":material/person_alert:", ("coordinator",)),
    PageSpec("pages/coordinator/roster.py", "Roster", "roster", ":material/group:", ("coordinator",)),
    PageSpec("pages/coordinator/availability.py", "Availability", "volunteer-availability",
             ":material/event_available:", ("coordinator",)),
    PageSpec("pages/coordinator/settings.py", "Center settings", "settings", ":material/tune:",
             ("coordinator",)),
    PageSpec("pages/coordinator/imports_exports.py", "Imports/exports", "imports", ":material/import_export:",
             ("coordinator",)),
    PageSpec("pages/coordinator/audit.py", "Audit log", "audit", ":material/policy:", ("coordinator",)),
    PageSpec("pages/coordinator/checkin.py", "Check-in", "checkin", ":material/how_to_reg:",
             ("coordinator",)),
    PageSpec("pages/coordinator/reports.py", "Reports", "reports", ":material/bar_chart:", ("coordinator",)),
    PageSpec("pages/leadership/whatif.py", "What-if", "whatif", ":material/query_stats:",
             ("leadership", "coordinator")),
    PageSpec("pages/volunteer/my_shifts.py", "My shifts", "my-shifts", ":material/event:", ("volunteer",)),
    PageSpec("pages/volunteer/availability.py", "My availability", "availability",
             ":material/event_available:", ("volunteer",)),
)


def _navigation(role: str | None) -> st.Page:
    """All pages, so a deep link reaches its page's role gate; only the role's pages in the menu."""
    pages = [st.Page(_home, title="Log in", url_path="login", icon=":material/login:", default=True,
                     visibility="visible" if role is None else "hidden")]
    if role == "coordinator" and st.session_state.get("checkin_kiosk"):  # checkin.KIOSK_KEY: only the kiosk
        return st.navigation([st.Page("pages/coordinator/checkin.py", title="Check-in", url_path="checkin")],
                             position="hidden")
    pages += [st.Page(p.script, title=p.title, url_path=p.url_path, icon=p.icon,
                      visibility="visible" if role in p.roles else "hidden") for p in PAGES]
    return st.navigation(pages, position="top" if role else "hidden")


def main() -> None:
    try:
        _startup()
    except Exception:
        st.error("The planner cannot reach its database. Please tell the coordinator; "
                 "the server log has the details.")
        st.stop()
    user = ui_session.current_user()
    page = _navigation(user.role if user else None)
    if user is not None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption(md_escape(f"Signed in as {user.display_name}, {ui_session.ROLE_TITLES[user.role]}"))
        if right.button("Log out", key="log_out"):
            ui_session.sign_out("You are logged out.")
            st.rerun()
    try:
        page.run()
    except DatabaseBusy as err:
        st.error(str(err))


main()
