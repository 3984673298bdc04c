"""ASGI middleware: the request-body cap, the security headers of every response, and the
request-duration metric (plain ASGI: no extra task and stream per request, as
`@app.middleware("http")` adds)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


_ESCAPES = re.compile(rb"\\u(?:0000|d[89a-f][0-9a-f]{2})", re.IGNORECASE)


def _bad_string(value: Any) -> str | None:
    """Why a decoded JSON value cannot be stored: a NUL (PostgreSQL refuses it in text)
    or a lone surrogate (not encodable as UTF-8); None when every string is fine."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if "\x00" in v:
                return "a NUL character (\\u0000)"
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return "a lone surrogate (e.g. \\ud800), which is not valid Unicode"
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


class BodyLimit:
    """Refuse a body over `max_bytes` with 413: at once when Content-Length says so, else
    while it streams in (it is read, up to the cap, before the route runs, so a route
    never sees a partial body and a client announcing 2 GiB is cut off after the cap).

    It also refuses (422), for every route at once, text no store can hold: a NUL or a
    lone surrogate in any string of a JSON body (JSON allows both as escapes; PostgreSQL
    and UTF-8 do not), and a NUL in the path or query."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            if scope["type"] == "websocket":  # refused before the handshake completes
                await send({"type": "websocket.close", "code": 4400})
            else:
                await _error(send, 422, "invalid_input", "the URL holds a NUL character")
            return
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_big = (
            f"the request body is larger than {self.max_bytes} bytes: send less (batches "
            "can be split)"
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _error(send, 400, "bad_request", "Content-Length is not a number")
                    return
                if declared > self.max_bytes:
                    await _error(send, 413, "payload_too_large", too_big)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _error(send, 413, "payload_too_large", too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _ESCAPES.search(body):  # cheap gate: only bodies with such escapes are decoded
            try:
                why = _bad_string(json.loads(body))
            except ValueError:
                why = None  # not JSON: the route says so
            if why is not None:
                await _error(send, 422, "invalid_input", f"the request holds {why}: send text")
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # a disconnect, later

        await self.app(scope, replay, send)


# our own pages hold no inline script or style: everything comes from /static
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_DOCS = ("/docs", "/redoc")  # FastAPI's own pages load Swagger UI / ReDoc with inline script


class SecurityHeaders:
    """nosniff and no-referrer on every response; on HTML pages a strict Content Security
    Policy (no inline script, no framing: the agent panel cannot be click-jacked)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                if html and not path.startswith(_DOCS):
                    extra += [
                        (b"content-security-policy", PAGE_CSP.encode()),
                        (b"x-frame-options", b"DENY"),
                    ]
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class RequestTiming:
    """Observes each HTTP request's duration by method, route template and status
    (`observe(method, path, status, seconds)`); an exception counts as status 500."""

    def __init__(self, app: ASGIApp, observe: Callable[[str, str, str, float], None]) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")  # set on this scope by the router when one matched
            path = getattr(route, "path", "unmatched")
            self.observe(scope["method"], path, str(status), time.perf_counter() - start)
