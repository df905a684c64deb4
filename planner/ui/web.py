"""HTTP beside the Streamlit app: the planner's own routes, the security headers, the server's lifespan.

Route handlers are plain functions (Starlette runs them in a thread pool, so
they may call the services); each answers a wrong or expired token with a
plain page or a 404 and changes nothing. Tokens in paths are never logged
(Streamlit's server keeps uvicorn's access log off, and these handlers log no path).

`/auth/session` and `/auth/signout` set and drop the session cookie (a
Streamlit script cannot set an HttpOnly cookie): signed, HttpOnly,
SameSite=Lax, Secure over HTTPS.

The lifespan prepares the database before the first request and runs the
background email sender (`planner.services.sender`) while the server is up,
with the offers' sweep (expiries, later waves, alerts, automatic offers).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from streamlit.runtime.pages_manager import PagesManager

from planner.services import feeds, maintenance, offers, sender, sessions

log = logging.getLogger(__name__)

HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"SAMEORIGIN")]


class SecurityHeaders:
    """Pure ASGI middleware: no sniffing, no framing by other sites, no referrer leaving the site."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}  # a route's own (stricter) value stays
                message = {**message, "headers": headers + [h for h in HEADERS if h[0] not in present]}
            await send(message)

        await self.app(scope, receive, with_headers)


def calendar_feed(request: Request) -> Response:
    """`GET /feeds/<token>.ics`: the feed as text/calendar; 404 for a wrong or revoked token."""
    try:
        body = feeds.calendar(str(request.path_params.get("token", "")))
    except Exception as err:  # logged without the path: it holds the token
        log.error("calendar feed failed: %s", type(err).__name__)
        return PlainTextResponse("The calendar is not available right now. Please try again later.", 503,
                                 headers={"retry-after": "300"})
    if body is None:
        return PlainTextResponse("Not found", 404)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"cache-control": "private, max-age=300", "x-robots-tag": "noindex",
                             "content-disposition": 'inline; filename="shifts.ics"'})


# Streamlit's XSRF cookie, which a sign-in ticket is bound to (see `sessions.browser_binding`).
XSRF_COOKIE = "_streamlit_xsrf"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
SIGN_OUT_REASONS = ("logout", "expired", "password changed")


def local_path(value: str | None) -> str:
    """`value` when it is a path on this site (`/roster`, `/join?x=1`), else `/`: never another site.

    Browsers drop tabs and line breaks from addresses (`/<tab>/evil.example` is `//evil.example`), and read
    a backslash as a slash, so any of those refuses the value.
    """
    if (not value or not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(c <= " " or c == "\x7f" for c in value)):
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


def _foreign(request: Request) -> bool:
    """A request another site made the browser send: refused by the routes that change sign-in state.

    Browsers say where a navigation came from (`Sec-Fetch-Site`: `same-origin`
    from our own page, `none` when typed); a browser too old to say so is
    judged by `Origin`, when it sends one.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host", "")


def _secure(request: Request) -> bool:
    """HTTPS as the browser sees it; behind a TLS proxy uvicorn takes it from X-Forwarded-Proto
    (trusted from FORWARDED_ALLOW_IPS, 127.0.0.1 by default)."""
    return request.url.scheme == "https"


def _refused(text: str, status: int) -> Response:
    return PlainTextResponse(text, status_code=status, headers=NO_STORE)


def auth_session(request: Request) -> Response:
    """`GET /auth/session?ticket=...&next=/page`: spend a sign-in ticket, set the session cookie, go on."""
    if _foreign(request):
        return _refused("This sign-in was started by another site, so it was refused.", 403)
    try:
        cookie = sessions.open_session(request.query_params.get("ticket", ""),
                                       sessions.browser_binding(request.cookies.get(XSRF_COOKIE)))
    except Exception:  # the store is down: say so plainly, never a traceback
        log.exception("opening a session failed")
        return _refused("Signing in is not possible right now. Please go back and try again in a minute.",
                        503)
    target = local_path(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    if cookie is not None:
        response.set_cookie(sessions.COOKIE_NAME, cookie, max_age=int(sessions.MAX_AGE.total_seconds()),
                            path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


def auth_signout(request: Request) -> Response:
    """`GET /auth/signout`: end the cookie's session (the page ended it already) and drop the cookie."""
    if _foreign(request):
        return _refused("This sign-out was started by another site, so it was refused.", 403)
    try:
        sessions.end(request.cookies.get(sessions.COOKIE_NAME))
    except Exception:  # the cookie goes all the same
        log.exception("ending a session failed")
    target = local_path(request.query_params.get("next"))
    why = request.query_params.get("why")
    if why in SIGN_OUT_REASONS and "?" not in target:
        target += "?" + urlencode({"signed_out": why})
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=_secure(request))
    return response


ROUTES: list[BaseRoute] = [
    Route("/feeds/{token}.ics", calendar_feed, methods=["GET", "HEAD"]),
    Route("/auth/session", auth_session, methods=["GET"]),
    Route("/auth/signout", auth_signout, methods=["GET"]),
]
MIDDLEWARE = [Middleware(SecurityHeaders)]


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Start-up: pages from `st.navigation` alone, the database ready; then the email sender runs.

    Until `app.py` has run once, Streamlit takes the `pages/` folder for its
    legacy page list, in which `/join` does not exist: the first link opened
    after a restart (an emailed invitation) showed "Page not found" and lost its
    page. `st.navigation` sets this same flag on its first run.
    """
    PagesManager.uses_pages_directory = False
    try:
        await asyncio.to_thread(maintenance.start_up)
    except Exception:  # the pages say the database is unreachable; the sender keeps trying
        log.exception("database start-up failed")
    running = await asyncio.to_thread(sender.start, (offers.sweep,))
    try:
        yield
    finally:
        if running is not None:
            await asyncio.to_thread(running.stop)
