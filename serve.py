"""The server: the Streamlit app (`app.py`) with the planner's own HTTP routes beside it.

`streamlit run serve.py` finds this top-level `app = st.App(...)` and serves
it with uvicorn; `make run` and the browser tests start the app this way.
"""

import streamlit as st

from planner.ui.web import MIDDLEWARE, ROUTES, lifespan

app = st.App("app.py", routes=ROUTES, middleware=MIDDLEWARE, lifespan=lifespan)
