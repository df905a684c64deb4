"""Coordinator: every email and text the planner queued, whether it went out, and retries for the failed
ones; who chose texts, and a STOP a volunteer asked for."""

import streamlit as st

from planner.present import outbox as shown
from planner.present.text import md_escape
from planner.services import outbox, sms, texts
from planner.ui import flash
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Outbox")
flash.show("outbox")

box = outbox.load()
if sms.problem():
    flash.say("warning", sms.problem() or "")
if box.email_problem:
    flash.say("warning", box.email_problem)
elif box.sender_until is None:
    st.info("No sender is running right now. Messages go out while the app runs (started with "
            "`streamlit run serve.py`), or each time `python -m planner send-reminders` runs from cron.")
else:
    st.caption("The app sends queued messages in the background, a few seconds after they are queued; "
               "a failure it can expect to pass (the mail server is down) is tried again automatically.")
left, right = st.columns([4, 1], vertical_alignment="center")
left.caption(md_escape(shown.counts_line(box.counts) + ". Times are the center's."))
if right.button("Refresh", key="outbox_refresh"):
    st.rerun()

failed = [m for m in box.messages if m.status == "failed"]
if failed:
    st.header("Failed messages")
    choices = {m.id: shown.failed_choice(m, box.names) for m in failed}
    picked = st.selectbox("Failed message", list(choices), format_func=choices.get, key="outbox_pick")
    one, every = st.columns(2)
    if one.button("Retry this message", type="primary", key="outbox_retry_one") and picked is not None:
        count = outbox.retry(picked, user.username)
        flash.later("outbox", "success" if count else "info",
                    "Queued again: it goes out in a few seconds." if count else "It is no longer failed.")
        st.rerun()
    if every.button(f"Retry all failed ({box.counts.get('failed', 0)})", key="outbox_retry_all"):
        count = outbox.retry(None, user.username)
        flash.later("outbox", "success", f"{count} queued again: they go out in a few seconds.")
        st.rerun()

st.header("All messages")
if not box.messages:
    st.caption("No message was queued yet. Publishing a week queues one for each volunteer whose shifts "
               "changed.")
else:
    st.dataframe(shown.outbox_table(box.messages, box.names, box.timezone), hide_index=True,
                 key="outbox_table", width="stretch")
    readable = {m.id: f"{shown.recipient(m, box.names)}: {m.subject}" for m in box.messages
                if not shown.erased(m, box.names)}
    with st.expander("Read a message"):
        chosen = st.selectbox("Message", list(readable), format_func=readable.get, index=None,
                              placeholder="Choose a message", key="outbox_read")
        text = outbox.body(chosen) if chosen is not None else None
        if text:
            st.text(text)

texters = texts.texters()
if texters:
    st.subheader("Texts")
    st.caption("Volunteers who chose texts for reminders and offers. A number that answers STOP is never "
               "texted again; when someone asks you to stop their texts, record it here.")
    st.table({"Volunteer": [t.name for t in texters],
              "Texts": ["stopped (STOP)" if t.stopped else "on" for t in texters]})
    active = {t.volunteer_id: t.name for t in texters if not t.stopped}
    if active:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        who = left.selectbox("Volunteer who asked for no more texts", list(active), format_func=active.get,
                             index=None, placeholder="Choose a volunteer", key="texts_stop_pick")
        if right.button("Record STOP", key="texts_stop", disabled=who is None) and who is not None:
            texts.record_stop(who, user.username)
            flash.later("outbox", "success", f"No more texts go to {active[who]}; they get email instead.")
            st.rerun()
