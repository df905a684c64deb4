"""HTTP beside the Streamlit app: the planner's own routes and the security headers on every response.

Route handlers are plain functions (Starlette runs them in a thread pool, so
they may call the services); each answers a wrong or expired token with a
plain page or a 404 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

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


ROUTES: list[BaseRoute] = []
MIDDLEWARE = [Middleware(SecurityHeaders)]
