"""The weekly-grid and dated-exceptions editor, shared by the volunteer's own page and the coordinator's.

One function so both pages save the same way: through the store, with the
signed-in person as the audit actor, and the grid optimistically locked so a
coordinator and a volunteer editing at once cannot silently overwrite each
other. Like `ui_session`, a planner module that uses Streamlit; the shaping of
what it shows lives in `planner.views`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

import streamlit as st

from planner import views
from planner.domain import DatedException, VolunteerRecord
from planner.store import db
from planner.store.roster import RosterError, add_exception, get_for_edit, remove_exception, set_availability
from planner.store.settings import load_settings


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


def volunteer_labels(records: Sequence[VolunteerRecord]) -> dict[int, str]:
    """Picker labels by volunteer id: the name, plus email (or key) where two people share a name."""
    counts: dict[str, int] = {}
    for r in records:
        counts[r.name.casefold()] = counts.get(r.name.casefold(), 0) + 1
    return {r.id: r.name if counts[r.name.casefold()] == 1 else f"{r.name} ({r.email or r.key})"
            for r in records if r.id is not None}


def _failure(prefix: str, what: str, err: RosterError | db.DatabaseBusy) -> None:
    # Store messages can quote names (user text): escaped, never Markdown.
    st.session_state[f"{prefix}_flash"] = ("error", f"{what}: " + views.md_escape("; ".join(err.messages)))


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
    flash = st.session_state.pop(f"{prefix}_flash", None)
    if flash:  # texts are built here, user text in them already escaped
        getattr(st, flash[0])(flash[1])
    with db.session() as s:
        found = get_for_edit(s, volunteer_id)
        settings = load_settings(s)
    if found is None or found[0].erased:
        return False
    record, row_version = found

    st.subheader("Every week")
    st.caption(wording.hint + " " + ", ".join(
        f"{name} {start:%H:%M}-{end:%H:%M}" for name, (start, end) in views.periods(settings).items()) + ".")
    counter_key = f"{prefix}_v"
    key = st.session_state[f"{prefix}_grid_key"] = (
        f"{prefix}_grid:{volunteer_id}:{st.session_state.get(counter_key, 0)}")
    # The version of the data this editor instance was opened on, kept until the next save.
    opened_on = st.session_state.setdefault(f"{key}:version", row_version)
    with st.form(f"{prefix}_weekly:{volunteer_id}"):
        edited = st.data_editor(views.availability_grid(record.availability, settings), key=key,
                                hide_index=True, disabled=["Day"], width="stretch")
        if st.form_submit_button(wording.save, type="primary"):
            try:
                with db.session() as s:
                    set_availability(s, volunteer_id, views.windows_from_grid(edited, settings), actor=actor,
                                     expected_version=opened_on)
                st.session_state[f"{prefix}_flash"] = ("success", "Weekly availability saved.")
                st.session_state[counter_key] = st.session_state.get(counter_key, 0) + 1  # a fresh grid
            except (RosterError, db.DatabaseBusy) as err:
                _failure(prefix, "Not saved", err)  # the ticks stay, to check against the stored grid
            st.session_state.pop(f"{key}:version", None)
            st.rerun()

    st.subheader("Time off and extra days")
    today = date.today()
    upcoming = views.exceptions_table(record.exceptions, today=today)
    if len(upcoming):
        st.table(views.table_safe(upcoming.drop(columns="id")), hide_index=True)
        labels = {int(row.id): f"{row.Date}, {row.Hours}, {row.What}" for row in upcoming.itertuples()}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        chosen = c1.selectbox("Remove", list(labels), format_func=labels.get,
                              key=f"{prefix}_remove_choice:{volunteer_id}")
        if c2.button("Remove", key=f"{prefix}_remove:{volunteer_id}"):
            try:
                with db.session() as s:
                    remove_exception(s, volunteer_id, chosen, actor=actor)
                _own_change(key)
                st.session_state[f"{prefix}_flash"] = ("success", "Removed.")
            except (RosterError, db.DatabaseBusy) as err:
                _failure(prefix, "Not removed", err)
            st.rerun()
    else:
        st.caption(wording.none_planned)

    with st.form(f"{prefix}_add_exception:{volunteer_id}", clear_on_submit=True):
        day = st.date_input("Date", today + timedelta(days=1), min_value=today,
                            max_value=today + timedelta(days=366))
        kind = st.radio("What", ["off", "extra"], horizontal=True,
                        format_func={"off": wording.off, "extra": wording.extra}.get)
        whole = st.checkbox("The whole day", True)
        c1, c2 = st.columns(2)
        start = c1.time_input("From", time(9), step=1800)
        end = c2.time_input("Until", time(17), step=1800)
        if st.form_submit_button("Add"):
            if not whole and (start is None or end is None or end <= start):
                st.error('"Until" must be after "From". Nothing was added.')
                return True
            try:
                with db.session() as s:
                    add_exception(s, volunteer_id, DatedException(day, kind, None if whole else start,
                                                                  None if whole else end), actor=actor)
                _own_change(key)
                st.session_state[f"{prefix}_flash"] = ("success", f"Added {views.day_label(day)}.")
                st.rerun()
            except (RosterError, db.DatabaseBusy) as err:
                st.error("Not added: " + views.md_escape("; ".join(err.messages)))
    return True
