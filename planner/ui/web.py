"""HTTP beside the Streamlit app: the planner's own routes, the security headers, the server's lifespan.

Route handlers are plain functions (Starlette runs them in a thread pool, so
they may call the services); each answers a wrong or expired token with a
plain page or a 404 and changes nothing. Tokens in paths are never logged
(Streamlit's server keeps uvicorn's access log off, and these handlers log no path).

The lifespan prepares the database before the first request and runs the
background email sender (`planner.services.sender`) while the server is up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from planner.services import feeds, maintenance, sender

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
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
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


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Database ready before the first request; the email sender runs until the server stops."""
    try:
        await asyncio.to_thread(maintenance.start_up)
    except Exception:  # the pages say the database is unreachable; the sender keeps trying
        log.exception("database start-up failed")
    running = await asyncio.to_thread(sender.start)
    try:
        yield
    finally:
        if running is not None:
            await asyncio.to_thread(running.stop)


ROUTES: list[BaseRoute] = [Route("/feeds/{token}.ics", calendar_feed, methods=["GET", "HEAD"])]
MIDDLEWARE = [Middleware(SecurityHeaders)]
