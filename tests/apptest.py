"""One way to open the app in Streamlit's AppTest, as someone, on a page.

AppTest runs `app.py` in this process; the store reads `DATABASE_URL` (the
`demo_db` fixture) on each call.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.present.text import unescape

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ROLES = ("coordinator", "leadership", "volunteer")


def pages(role: str) -> list[str]:
    """Every page file of a role, so a new page cannot skip the tests that loop over pages."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages" / role).glob("*.py"))


def signed_in(at: AppTest, username: str) -> AppTest:
    """Put the demo account `username` in the AppTest's session, as the sign-in form would."""
    from planner.store import accounts, db
    from planner.ui.session import USER_KEY, session_user_from

    with db.session() as s:
        account = accounts.get_account(s, username)
    assert account is not None, username
    at.session_state[USER_KEY] = session_user_from(account)
    return at


def open_app(username: str | None = None, page: str | None = None, timeout: float = 30) -> AppTest:
    """The app, run once (signed in as `username` when given), then switched to `page`."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if username is not None:
        signed_in(at, username)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def button(at: AppTest, label: str):  # noqa: ANN201 - AppTest's element type is private
    return next(b for b in at.button if b.label == label)


def messages(at: AppTest, kind: str) -> list[str]:
    """The texts of `at.error`, `at.success`, ... as a person reads them (Markdown escapes taken off)."""
    return [unescape(m.value) for m in getattr(at, kind)]


def shown(at: AppTest) -> str:
    """Every text a person can read on the page, tables and choices included, unescaped."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    parts += [str(t.value) for t in at.title] + [str(h.value) for h in at.header]
    parts += [m.value for m in [*at.error, *at.info, *at.warning, *at.success]]
    parts += [t.value.to_csv() for t in at.table] + [d.value.to_csv() for d in at.dataframe]
    for widget in list(at.selectbox) + list(at.multiselect) + list(at.radio):
        parts += [str(o) for o in widget.options]
    return unescape("\n".join(parts))
