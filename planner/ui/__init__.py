"""Streamlit helpers the pages share: sign-in and role gate, flash messages, week picker, editors.

With `app.py` and `pages/`, the only code that imports Streamlit.
"""
