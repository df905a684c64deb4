"""Volunteer-coverage planner: the Streamlit entry point.

Routes with `st.navigation`. Every page is registered for every visitor (so a
deep link always runs the page, whose role gate shows the sign-in or a
refusal), but only the signed-in role's pages are visible in the menu. The
public pages (`pages/public/`: joining by invitation, an emailed sign-in link,
an offer's accept link, the center's "Volunteer with us" sign-up) have no role
gate and are never in the menu; all but the sign-up show nothing without a
working token.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from planner.ui import session, shell

st.set_page_config(page_title="Volunteer coverage planner", page_icon=":material/volunteer_activism:",
                   layout="wide")


def _home() -> None:
    """The default page: the sign-in form, or straight to the role's first page."""
    user = session.current_user()
    if user is None:
        st.title("Volunteer coverage planner")
        session.sign_in_form()
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
    PageSpec("pages/coordinator/applicants.py", "Applicants", "applicants", ":material/person_add:",
             ("coordinator",)),
    PageSpec("pages/coordinator/availability.py", "Availability", "volunteer-availability",
             ":material/event_available:", ("coordinator",)),
    PageSpec("pages/coordinator/settings.py", "Center settings", "settings", ":material/tune:",
             ("coordinator",)),
    PageSpec("pages/coordinator/imports_exports.py", "Imports/exports", "imports", ":material/import_export:",
             ("coordinator",)),
    PageSpec("pages/coordinator/audit.py", "Audit log", "audit", ":material/policy:", ("coordinator",)),
    PageSpec("pages/coordinator/outbox.py", "Outbox", "outbox", ":material/outbox:", ("coordinator",)),
    PageSpec("pages/coordinator/checkin.py", "Check-in", "checkin", ":material/how_to_reg:",
             ("coordinator",)),
    PageSpec("pages/coordinator/reports.py", "Reports", "reports", ":material/bar_chart:", ("coordinator",)),
    PageSpec("pages/leadership/whatif.py", "What-if", "whatif", ":material/query_stats:",
             ("leadership", "coordinator")),
    PageSpec("pages/volunteer/my_shifts.py", "My shifts", "my-shifts", ":material/event:", ("volunteer",)),
    PageSpec("pages/volunteer/availability.py", "My availability", "availability",
             ":material/event_available:", ("volunteer",)),
)
# Reached by the links in invitations, sign-in emails and offers (and the join address on a printed code),
# and by the center's shared sign-up link (`/volunteer`).
PUBLIC_PAGES = (
    PageSpec("pages/public/join.py", "Join", "join", ":material/person_add:", ()),
    PageSpec("pages/public/sign_in_link.py", "Sign-in link", "sign-in-link", ":material/link:", ()),
    PageSpec("pages/public/offer.py", "Open place", "offer", ":material/volunteer_activism:", ()),
    PageSpec("pages/public/volunteer.py", "Volunteer with us", "volunteer", ":material/diversity_1:", ()),
)


def _navigation(role: str | None) -> st.Page:
    """All pages, so a deep link reaches its page's role gate; only the role's pages in the menu."""
    pages = [st.Page(_home, title="Log in", url_path="login", icon=":material/login:", default=True,
                     visibility="visible" if role is None else "hidden")]
    if role == "coordinator" and st.session_state.get(session.KIOSK_KEY):  # only the kiosk
        return st.navigation([st.Page("pages/coordinator/checkin.py", title="Check-in", url_path="checkin")],
                             position="hidden")
    pages += [st.Page(p.script, title=p.title, url_path=p.url_path, icon=p.icon,
                      visibility="visible" if role in p.roles else "hidden") for p in PAGES + PUBLIC_PAGES]
    return st.navigation(pages, position="top" if role else "hidden")


def main() -> None:
    shell.ready()
    user = session.current_user()
    page = _navigation(user.role if user else None)
    session.remember_page(page.url_path)
    if user is not None and not st.session_state.get(session.KIOSK_KEY):
        shell.signed_in_bar(user)
    shell.run(page)


main()
