"""A calendar subscription panel: make a private feed link, see it once, reset it or turn it off.

The token is stored only as a hash, so the link can be shown only when it is
made; it stays on the page for the rest of this session. The address uses
`planner.services.links.public_url`, else the page's own origin.
"""

from __future__ import annotations

import streamlit as st

from planner.present.text import md_escape
from planner.services import feeds, links
from planner.store.feeds import Owner


def _feed_url(token: str) -> str:
    base = links.public_url(st.context.url) or ""
    return f"{base}/feeds/{token}.ics"


def panel(owner: Owner, actor: str, *, what: str) -> None:
    """`what` says whose shifts the feed holds (`your shifts`, `everyone's shifts`)."""
    key = f"feed_token:{owner[0]}:{owner[1]}"
    made = feeds.made_at(owner)
    token = st.session_state.get(key) if made is not None else None
    if token:
        url = _feed_url(token)
        if url.startswith("http"):
            st.link_button("Subscribe on this phone or computer", links.webcal(url), type="primary",
                           icon=":material/event_repeat:")
        st.caption("Or copy this address into your calendar app (add a calendar from a URL, or subscribe):")
        st.code(url, language=None)
        st.caption(md_escape(f"Keep it private: anyone with this address sees {what}. It is shown only now; "
                             "you can make a new one at any time, and the old one then stops working."))
    elif made is not None:
        st.caption(md_escape(f"Your calendar link was made on {made:%d %b %Y}. It is shown only once, when "
                             "it is made; if you lost it, make a new one (the old one then stops working)."))
    else:
        st.caption(md_escape(f"A private link that keeps {what} in your phone's calendar, updated when the "
                             "plan changes."))
    make, off = st.columns(2)
    if make.button("Make a new calendar link" if made else "Make my calendar link", key=f"{key}:reset"):
        st.session_state[key] = feeds.reset(owner, actor)
        st.rerun()
    if made is not None and off.button("Turn the link off", key=f"{key}:revoke"):
        feeds.revoke(owner, actor)
        st.session_state.pop(key, None)
        st.rerun()
