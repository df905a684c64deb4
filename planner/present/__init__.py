"""What each page shows: tables, sentences and charts, shaped from core and engine objects.

Pure (no Streamlit, no SQL), one module per page, so every text a person reads
can be unit-tested. Texts are plain; `planner.ui` escapes them for Markdown.
"""
