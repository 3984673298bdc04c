"""Logging set-up: no secret in any log line. Tokens can reach a log through a URL (a
client that puts one in a query string), an exception message or a header dump; this
filter masks every known token shape and `token=` / `Bearer` values in every record of
every logger (uvicorn's access log included).

Two formats (`Settings.log_format`, AGENT_ASSIST_LOG_FORMAT): "text" for a terminal, and
"json", one object a line (python-json-logger): time, level, logger, message, request_id,
pid, and for uvicorn's access lines method, path and status. Every record carries the
request id of the request it was logged in (api/request_id.py); a JSON line is masked
once more as a whole (an exception's text, an `extra` field)."""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from api.request_id import RequestIdFilter

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"

# our token shapes (agent, conversation, API key), query parameters and bearer values
_SECRET = re.compile(
    r"\b(?:at|ct|ak)_[A-Za-z0-9_-]{16,}"
    r"|(?P<param>[?&](?:token|key|api_key|access_token)=)[^&\s\"']+"
    r"|(?P<bearer>Bearer\s+)[A-Za-z0-9._~+/=-]{8,}",
    re.IGNORECASE,
)
MASK = "[secret]"


def _mask(m: re.Match[str]) -> str:
    return (m.group("param") or m.group("bearer") or "") + MASK


def mask(text: str) -> str:
    return _SECRET.sub(_mask, text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: leave it to the handler's error path
            return True
        if mask(message) == message:
            return True
        # keep the record's shape (uvicorn's access formatter unpacks its args tuple)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
            if isinstance(record.msg, str):
                record.msg = mask(record.msg)
            try:
                if mask(record.getMessage()) == record.getMessage():
                    return True
            except Exception:
                pass
        record.msg, record.args = mask(message), ()
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id,
    pid (several workers: which one), exc_info when there is one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            ["levelname", "name", "message", "request_id", "process"],
            rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
            timestamp="time",
            # uvicorn's coloured copy of the message is not a field
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
            **kwargs,
        )

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class AccessJsonLines(JsonLines):
    """uvicorn's access log: its record's args are (client, method, path, http version,
    status); method, path and status become fields."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        if isinstance(record.args, tuple) and len(record.args) == 5:
            _, method, path, _, status = record.args
            log_data.update(method=method, path=path, status=status)


def install(level: int = logging.INFO, log_format: LogFormat = "text") -> None:
    """Basic config plus the filters (secrets masked, request id) on every handler (ours
    and uvicorn's); the root handler's lines in `log_format`."""
    logging.basicConfig(level=level, format=TEXT_FORMAT)
    secret_filter = RedactSecrets()
    request_ids = RequestIdFilter()
    for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.addFilter(secret_filter)
        for handler in logger.handlers:
            handler.addFilter(request_ids)
            handler.addFilter(secret_filter)
            if name == "" and log_format == "json":
                handler.setFormatter(JsonLines())


def uvicorn_log_config(log_format: LogFormat = "text") -> dict[str, object]:
    """uvicorn's default logging config with the filters on its handlers ("json": its
    lines as JSON objects too)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = {**LOGGING_CONFIG}
    config["filters"] = {
        "secrets": {"()": "api.logs.RedactSecrets"},
        "request_id": {"()": "api.request_id.RequestIdFilter"},
    }
    if log_format == "json":
        config["formatters"] = {
            "default": {"()": "api.logs.JsonLines"},
            "access": {"()": "api.logs.AccessJsonLines"},
        }
    handlers = {
        name: {**h, "filters": ["request_id", "secrets"]}
        for name, h in LOGGING_CONFIG["handlers"].items()
    }
    config["handlers"] = handlers
    return config
