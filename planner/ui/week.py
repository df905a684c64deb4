"""The week picker the coordinator's pages share."""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner.core.domain import CenterSettings, default_week
from planner.present.weeks import week_choices


def week_picker(label: str, settings: CenterSettings, key: str) -> date:
    """A Monday among the weeks around today, the coming open week chosen first."""
    weeks = dict(week_choices(date.today()))
    default = default_week(date.today(), settings.open_weekdays)
    return st.selectbox(label, list(weeks), format_func=weeks.get, index=list(weeks).index(default), key=key)
