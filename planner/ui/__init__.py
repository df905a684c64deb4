"""Streamlit helpers the pages share: sign-in and role gate, flash messages, week picker, editors;
the HTTP routes beside the app (`web`: the session cookie) and the redirect that reaches them (`browser`).

With `app.py` and `pages/`, the only code that imports Streamlit.
"""
