"""The request id: one id per HTTP request (or WebSocket) that every log line of it
carries, that goes back to the client in `X-Request-ID`, and that follows a customer turn
into Rasa and its actions (api/conversations/bot.py sends it in the message's metadata
and as a header). asgi-correlation-id's middleware takes a well-formed incoming
`X-Request-ID` (`WELL_FORMED`: 1-128 letters, digits, `.`, `_`, `-`, `:`) and generates a
new one (32 hex digits) otherwise; it keeps the id in a context variable."""

from __future__ import annotations

import logging
import re
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id

HEADER = "X-Request-ID"
METADATA_KEY = "request_id"  # in the Rasa message's metadata (the actions log it)
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def well_formed(value: str) -> bool:
    return WELL_FORMED.fullmatch(value) is not None


def current() -> str | None:
    """The request id of the request being served here; None outside of one."""
    return correlation_id.get()


def middleware_options() -> dict[str, Any]:
    """`app.add_middleware(CorrelationIdMiddleware, **middleware_options())`."""
    return {"header_name": HEADER, "validator": well_formed}


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record ("-" outside of a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = correlation_id.get() or "-"
        return True


__all__ = [
    "HEADER",
    "METADATA_KEY",
    "CorrelationIdMiddleware",
    "RequestIdFilter",
    "current",
    "middleware_options",
    "well_formed",
]
