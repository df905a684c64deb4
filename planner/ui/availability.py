"""The weekly-grid and dated-exceptions editor, shared by the volunteer's own page and the coordinator's.

One function so both pages save the same way: through the store, with the
signed-in person as the audit actor, and the grid optimistically locked so a
coordinator and a volunteer editing at once cannot silently overwrite each
other. Like `ui_session`, a planner module that uses Streamlit; the shaping of
what it shows lives in `planner.present.views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import streamlit as st

from planner.core.domain import DatedException
from planner.core.errors import PlannerError
from planner.core.labels import day_label
from planner.present.availability import (
    availability_grid,
    exceptions_table,
    next_open_day,
    windows_from_grid,
)
from planner.present.text import table_safe
from planner.services import roster
from planner.ui import flash


@dataclass(frozen=True)
class Wording:
    """What the editor says: the volunteer speaks for themself, the coordinator about someone."""

    hint: str
    save: str
    off: str
    extra: str
    none_planned: str


FOR_VOLUNTEER = Wording(hint="Tick when you can usually come.", save="Save my weekly availability",
                        off="I can't come (time off)", extra="I can come extra",
                        none_planned="No time off planned.")
FOR_COORDINATOR = Wording(hint="Ticked: usually available.", save="Save weekly availability",
                          off="Can't come (time off)", extra="Can come extra",
                          none_planned="No time off or extra days planned.")


def _failure(prefix: str, what: str, err: PlannerError) -> None:
    flash.later(prefix, "error", flash.refused(what, err))


def _own_change(grid_key: str) -> None:
    """An exception saved here bumps the volunteer's version too: the grid is reopened on the new one,
    or its next save would be refused as someone else's change."""
    st.session_state.pop(f"{grid_key}:version", None)


def editor(volunteer_id: int, actor: str, wording: Wording, prefix: str) -> bool:
    """Show and save one volunteer's weekly grid and upcoming exceptions; False when they are not found.

    Widget keys carry `prefix` and the volunteer id, so switching volunteers never
    carries one person's unsaved ticks to another. The grid's editor key is kept in
    `st.session_state[f"{prefix}_grid_key"]` (tests set its edits there).
    """
    flash.show(prefix)
    opened = roster.availability(volunteer_id)
    if opened is None:
        return False
    record, row_version, settings = opened.record, opened.version, opened.settings

    st.header("Every week")
    st.caption(wording.hint + " " + ", ".join(
        f"{name} {start:%H:%M}-{end:%H:%M}" for name, (start, end) in settings.periods().items()) + ".")
    counter_key = f"{prefix}_v"
    key = st.session_state[f"{prefix}_grid_key"] = (
        f"{prefix}_grid:{volunteer_id}:{st.session_state.get(counter_key, 0)}")
    # The version of the data this editor instance was opened on, kept until the next save.
    opened_on = st.session_state.setdefault(f"{key}:version", row_version)
    grid = availability_grid(record.availability, settings)
    narrow = {c: st.column_config.CheckboxColumn(c, width="small") for c in grid.columns if c != "Day"}
    with st.form(f"{prefix}_weekly:{volunteer_id}"):
        edited = st.data_editor(grid, key=key, hide_index=True, disabled=["Day"], width="stretch",
                                column_config={"Day": st.column_config.TextColumn("Day", width="small"),
                                               **narrow})
        if st.form_submit_button(wording.save, type="primary"):
            try:
                windows = windows_from_grid(edited, settings, record.availability)
                roster.set_availability(volunteer_id, windows, actor, expected_version=opened_on)
                flash.later(prefix, "success", "Weekly availability saved.")
                st.session_state[counter_key] = st.session_state.get(counter_key, 0) + 1  # a fresh grid
            except PlannerError as err:
                _failure(prefix, "Not saved", err)  # the ticks stay, to check against the stored grid
            st.session_state.pop(f"{key}:version", None)
            st.rerun()

    st.header("Time off and extra days")
    today = date.today()
    upcoming = exceptions_table(record.exceptions, today=today)
    if len(upcoming):
        st.table(table_safe(upcoming.drop(columns="id")), hide_index=True)
        labels = {int(row.id): f"{row.Date}, {row.Hours}, {row.What}" for row in upcoming.itertuples()}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        chosen = c1.selectbox("Remove", list(labels), format_func=labels.get,
                              key=f"{prefix}_remove_choice:{volunteer_id}")
        if c2.button("Remove", key=f"{prefix}_remove:{volunteer_id}"):
            try:
                roster.remove_exception(volunteer_id, chosen, actor)
                _own_change(key)
                flash.later(prefix, "success", "Removed.")
            except PlannerError as err:
                _failure(prefix, "Not removed", err)
            st.rerun()
    else:
        st.caption(wording.none_planned)

    # Outside the form, so ticking it shows or hides the times at once.
    whole = st.checkbox("The whole day", True, key=f"{prefix}_whole_day:{volunteer_id}")
    with st.form(f"{prefix}_add_exception:{volunteer_id}", clear_on_submit=True):
        day = st.date_input("Date", next_open_day(today, settings), min_value=today,
                            max_value=today + timedelta(days=366))
        kind = st.radio("What", ["off", "extra"], horizontal=True,
                        format_func={"off": wording.off, "extra": wording.extra}.get)
        start = end = None
        if not whole:
            c1, c2 = st.columns(2)
            start = c1.time_input("From", time(9), step=1800)
            end = c2.time_input("Until", time(17), step=1800)
        if st.form_submit_button("Add"):
            if not whole and (start is None or end is None or end <= start):
                st.error('"Until" must be after "From". Nothing was added.')
                return True
            try:
                roster.add_exception(volunteer_id, DatedException(day, kind, None if whole else start,
                                                                   None if whole else end), actor)
                _own_change(key)
                flash.later(prefix, "success", f"Added {day_label(day)}.")
                st.rerun()
            except PlannerError as err:
                flash.say("error", flash.refused("Not added", err))
    return True
