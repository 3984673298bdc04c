"""Domain errors and their one mapping to HTTP responses: `{"error": {"code", "message"}}`."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.conversations.errors import (
    BotUnavailable,
    ConversationClosed,
    ConversationError,
    ConversationNotFound,
    Forbidden,
    IllegalTransition,
    InvalidWrapUp,
    NotAuthenticated,
    StoreUnavailable,
    Throttled,
)
from intent.data import DataFormatError
from retrieval.errors import (
    BatchRejected,
    CustomerNotFound,
    EventConflict,
    OrderNotFound,
    RetrievalError,
    TicketNotFound,
    ValidationError,
)


class DomainError(Exception):
    """Base of errors the API turns into a 4xx/5xx with a readable message."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "payload_too_large"


class NotReady(DomainError):
    status_code = 503
    code = "not_ready"


class ModelReloadFailed(DomainError):
    """The model registry's current intent model could not be loaded (or the registry not
    read): the model that served before still serves (api/model_reload.py)."""

    status_code = 409
    code = "model_reload_failed"


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        self.headers = {"Retry-After": str(retry_after_s)}


# Domain errors of api.conversations / api.security and of retrieval: status and code.
_CONVERSATION_ERRORS: dict[type[ConversationError], tuple[int, str]] = {
    ConversationNotFound: (404, "conversation_not_found"),
    IllegalTransition: (409, "illegal_transition"),
    ConversationClosed: (409, "conversation_closed"),
    NotAuthenticated: (401, "not_authenticated"),
    Forbidden: (403, "forbidden"),
    BotUnavailable: (503, "bot_unavailable"),
    Throttled: (429, "rate_limited"),
    StoreUnavailable: (503, "store_unavailable"),
    InvalidWrapUp: (422, "invalid_wrapup"),
}
_RETRIEVAL_ERRORS: dict[type[RetrievalError], tuple[int, str]] = {
    CustomerNotFound: (404, "customer_not_found"),
    OrderNotFound: (404, "order_not_found"),
    TicketNotFound: (404, "ticket_not_found"),
    ValidationError: (422, "invalid_input"),
    EventConflict: (409, "event_conflict"),
    BatchRejected: (422, "batch_rejected"),
}


def _lookup(table: dict[Any, tuple[int, str]], exc: Exception) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in table:
            return table[cls]
    return 500, "internal_error"


log = logging.getLogger("api.errors")


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # e.g. retry_after_s, state, limit

    code: str = Field(description="machine-readable, e.g. invalid_input, rate_limited")
    message: str = Field(description="what went wrong and what to do, for a person")
    details: list[str] | None = Field(default=None, description="one line per invalid field")


class ErrorBody(BaseModel):
    """Every 4xx / 5xx answer of the API."""

    error: ErrorDetail


# declared on every route of the OpenAPI document (FastAPI(responses=...))
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "malformed request (e.g. not JSON)",
        401: "no, unknown, expired or revoked credentials",
        403: "these credentials may not do this",
        404: "no such resource",
        409: "the resource's state does not allow it (e.g. claimed by another agent)",
        413: "the body or a text is too large",
        422: "invalid input: `details` lists each field",
        429: "rate limited: retry after `Retry-After` seconds",
        503: "not ready, the database or the bot is unavailable: retry",
    }.items()
}

_BAD_BODY = (
    "the request body is not valid JSON in UTF-8; send Content-Type: "
    "application/json with a UTF-8 encoded body"
)


def _body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _describe(err: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
    msg = str(err.get("msg", "invalid value"))
    return f"{loc}: {msg}" if loc else msg


def _allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document gives the request's path (all of its routes)."""
    table = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = []
        for template, item in request.app.openapi().get("paths", {}).items():
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
            table.append((re.compile(f"^{pattern}$"), sorted(m.upper() for m in item)))
        request.app.state.allowed_methods = table
    path = request.url.path
    return sorted({m for regex, methods in table if regex.match(path) for m in methods})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        return JSONResponse(
            _body(exc.code, exc.message, **exc.fields), exc.status_code, headers=headers
        )

    @app.exception_handler(ConversationError)
    async def _conversation(_: Request, exc: ConversationError) -> JSONResponse:
        status, code = _lookup(_CONVERSATION_ERRORS, exc)
        extra: dict[str, Any] = {}
        headers: dict[str, str] | None = None
        if isinstance(exc, IllegalTransition):
            extra = {"state": exc.state, "action": exc.action}
        if isinstance(exc, Throttled):
            extra = {"retry_after_s": exc.retry_after_s}
            headers = {"Retry-After": str(exc.retry_after_s)}
        if isinstance(exc, StoreUnavailable):
            headers = {"Retry-After": "2"}
        if status == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        return JSONResponse(_body(code, exc.message, **extra), status, headers=headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _store_down(_: Request, exc: Exception) -> JSONResponse:
        # the database cannot be reached: nothing was changed, the same request may be
        # retried (customer messages carry an idempotency key, so a retry is stored once)
        log.warning("database unavailable: %s", type(exc).__name__)
        return JSONResponse(
            _body(
                "store_unavailable",
                "the service cannot reach its database right now; nothing was changed: "
                "retry in a few seconds",
            ),
            503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(DBAPIError)
    async def _db_error(_: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _store_down(_, exc)
        if isinstance(exc, DataError):  # a value the database refuses (type, length, NUL)
            return JSONResponse(
                _body("invalid_input", "a value of the request cannot be stored: check it"),
                422,
            )
        log.error("database error: %s", type(exc.orig).__name__)
        return JSONResponse(
            _body("internal_error", "unexpected database error; it has been logged"), 500
        )

    @app.exception_handler(UnicodeError)
    async def _unicode(_: Request, exc: UnicodeError) -> JSONResponse:
        return JSONResponse(
            _body(
                "invalid_input",
                "the request holds text that is not valid Unicode (e.g. a lone surrogate "
                "such as \\ud800): send UTF-8 text",
            ),
            422,
        )

    @app.exception_handler(RetrievalError)
    async def _retrieval(_: Request, exc: RetrievalError) -> JSONResponse:
        status, code = _lookup(_RETRIEVAL_ERRORS, exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, BatchRejected):
            extra = {"errors": {str(k): v for k, v in exc.errors.items()}}
        return JSONResponse(_body(code, str(exc), **extra), status)

    @app.exception_handler(DataFormatError)
    async def _data(_: Request, exc: DataFormatError) -> JSONResponse:
        return JSONResponse(_body("invalid_data", str(exc)), 422)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(_body("invalid_json", _BAD_BODY), 400)
        details = [_describe(e) for e in errors]
        return JSONResponse(_body("invalid_input", "; ".join(details), details=details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            return JSONResponse(_body("invalid_json", _BAD_BODY), 400)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return JSONResponse(_body(code, str(exc.detail)), exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        return JSONResponse(
            _body(
                "internal_error",
                f"unexpected server error ({type(exc).__name__}); it has been logged",
            ),
            500,
        )
