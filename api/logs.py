"""Logging set-up: no secret in any log line. Tokens can reach a log through a URL (a
client that puts one in a query string), an exception message or a header dump; this
filter masks every known token shape and `token=` / `Bearer` values in every record of
every logger (uvicorn's access log included)."""

from __future__ import annotations

import logging
import re

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


def install(level: int = logging.INFO) -> None:
    """Basic config plus the filter on every handler (ours and uvicorn's)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secret_filter = RedactSecrets()
    for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.addFilter(secret_filter)
        for handler in logger.handlers:
            handler.addFilter(secret_filter)


def uvicorn_log_config() -> dict[str, object]:
    """uvicorn's default logging config with the filter on its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = {**LOGGING_CONFIG}
    config["filters"] = {"secrets": {"()": "api.logs.RedactSecrets"}}
    handlers = {
        name: {**h, "filters": ["secrets"]} for name, h in LOGGING_CONFIG["handlers"].items()
    }
    config["handlers"] = handlers
    return config
