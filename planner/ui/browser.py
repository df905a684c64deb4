"""Sending the browser's whole page to one of the planner's own addresses (the cookie routes).

A Streamlit script cannot set an HttpOnly cookie; a route beside it can
(`planner.ui.web`). A components-v2 element (fixed JavaScript, the address
passed as data, only a local path accepted) replaces the page's location, so
the ticket never stays in the history; a plain same-tab link is shown under it
for a browser that does not run it.
"""

from __future__ import annotations

import html

import streamlit as st

from planner.ui.web import local_path

_JS = """
export default function (component) {
  const url = component.data && component.data.url;
  if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\\\")) {
    window.location.replace(url);
  }
}
"""
_redirect = st.components.v2.component("planner_redirect", js=_JS)  # registered once per process


def go(path: str, label: str = "Continue") -> None:
    """Send the browser to `path` (local: one leading `/`), with a link for when that does not happen."""
    if local_path(path) != path:
        raise ValueError(f"not a local path: {path!r}")
    _redirect(data={"url": path}, key="planner_redirect")
    st.html(f'<p><a href="{html.escape(path)}">{html.escape(label)}</a></p>')
