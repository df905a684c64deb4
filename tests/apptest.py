"""One way to open the app in Streamlit's AppTest, as someone, on a page.

AppTest runs `app.py` in this process; the store reads `DATABASE_URL` (the
`demo_db` fixture) on each call.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.responses import Response
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


def open_app(username: str | None = None, page: str | None = None, timeout: float = 30, *,
             url: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The app, run once (signed in as `username` when given), then switched to `page`; `url` is the
    address the browser shows (links are made from it), `query` the page address's query."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if url is not None:
        at.context["url"] = url
    if query:
        at.query_params.update(query)
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


# ---------------------------------------------------------------- the cookie a real browser would carry
# AppTest can neither follow the page's redirect to `/auth/session` nor send cookies. `CookieJar` does
# what the browser does between two page loads: it calls the real route with the ticket the page
# rendered, keeps the Set-Cookie it answers, and opens the next AppTest with those cookies.


@dataclass
class CookieJar:
    cookies: dict[str, str] = field(default_factory=dict)
    last: Response | None = None

    def get(self, url: str, *, site: str | None = "same-origin", scheme: str = "http",
            origin: str | None = None) -> Response:
        """GET one of the planner's own routes (`planner.ui.web.ROUTES`) as the browser would."""
        from starlette.requests import Request

        from planner.ui.web import ROUTES

        parts = urlsplit(url)
        handler = next(r.endpoint for r in ROUTES if getattr(r, "path", None) == parts.path)
        headers = [(b"host", b"testserver")]
        if site is not None:
            headers.append((b"sec-fetch-site", site.encode()))
        if origin is not None:
            headers.append((b"origin", origin.encode()))
        if self.cookies:
            headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()).encode()))
        scope = {"type": "http", "method": "GET", "scheme": scheme, "server": ("testserver", 80),
                 "path": parts.path, "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
                 "headers": headers, "root_path": "", "client": ("127.0.0.1", 50000)}
        response = handler(Request(scope))
        for name, value in response.raw_headers:
            if name == b"set-cookie":
                jar = SimpleCookie(value.decode())
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        self.last = response
        return response

    def follow_page(self, at: AppTest) -> Response:
        """Follow the redirect the page rendered (its same-tab fallback link) through the route."""
        links = [h.proto.body for h in at.get("html")]
        found = [html.unescape(m) for body in links for m in re.findall(r'href="([^"]+)"', body)]
        assert found, f"no redirect on the page: {links}"
        return self.get(found[-1])

    def open(self, monkeypatch: pytest.MonkeyPatch, page: str | None = None, app: AppTest | None = None
             ) -> AppTest:
        """A new page load (a new browser connection) carrying the cookies (`app`: one set up already)."""
        from planner.ui import session

        monkeypatch.setattr(session, "browser_cookies", lambda: dict(self.cookies))
        at = (app or AppTest.from_file(APP, default_timeout=30)).run()
        if page:
            at.switch_page(page).run()
        return at


def log_in_form(at: AppTest, username: str, password: str = "demo") -> AppTest:
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    button(at, "Log in").click()
    return at.run()
