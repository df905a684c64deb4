"""The week picker the coordinator's pages share (Streamlit; no business logic)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner import views
from planner.domain import CenterSettings


def week_picker(label: str, settings: CenterSettings, key: str) -> date:
    """A Monday among the weeks around today, the coming open week chosen first."""
    weeks = dict(views.week_choices(date.today()))
    default = views.default_week(date.today(), settings.open_weekdays)
    return st.selectbox(label, list(weeks), format_func=weeks.get, index=list(weeks).index(default), key=key)
