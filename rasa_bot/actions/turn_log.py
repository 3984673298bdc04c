"""The action server's log lines with the request id of the customer turn they serve.

The API sends its request id (X-Request-ID, api/request_id.py) in the metadata of the
customer's message; Rasa keeps it in the tracker's `latest_message`, which comes with
every action call. serve_actions.py calls `action_called` for each call: the id goes into
a context variable (every record logged while the action runs carries it, `RequestIdFilter`)
and one JSON line on the `actions.turns` logger says which action ran for which
conversation under which request id. AGENT_ASSIST_LOG_FORMAT=json makes every line of the
action server a JSON object (`install`).

Standard library only: the Rasa virtualenv is pinned for Rasa."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any

METADATA_KEY = "request_id"  # the API's key (api/request_id.py METADATA_KEY)
FORMAT_ENV = "AGENT_ASSIST_LOG_FORMAT"
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # as the API accepts them
TURNS = logging.getLogger("actions.turns")

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_of(tracker: Mapping[str, Any]) -> str | None:
    """The request id in a tracker's state (an action call's `tracker`): its
    latest_message's metadata, else the newest user event's; None when there is none or it
    is not well formed."""
    latest = tracker.get("latest_message") or {}
    meta = latest.get("metadata") if isinstance(latest, Mapping) else None
    if not isinstance(meta, Mapping) or METADATA_KEY not in meta:
        meta = next(
            (
                e.get("metadata")
                for e in reversed(tracker.get("events") or [])
                if isinstance(e, Mapping) and e.get("event") == "user"
            ),
            None,
        )
    rid = meta.get(METADATA_KEY) if isinstance(meta, Mapping) else None
    return rid if isinstance(rid, str) and WELL_FORMED.fullmatch(rid) else None


def action_called(action_call: Mapping[str, Any]) -> str | None:
    """Before an action runs: its turn's request id into the context, one JSON line out."""
    tracker = action_call.get("tracker")
    rid = request_id_of(tracker) if isinstance(tracker, Mapping) else None
    REQUEST_ID.set(rid)
    action = str(action_call.get("next_action") or "")[:120]
    conversation = str(action_call.get("sender_id") or "")[:128]
    TURNS.info(
        "%s for conversation %s",
        action,
        conversation,
        extra={"action": action, "conversation_id": conversation},
    )
    return rid


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


_EXTRA = ("action", "conversation_id")


class JsonLines(logging.Formatter):
    """One JSON object a line, with the API's field names: time, level, logger, message,
    request_id, pid (and action, conversation_id on the turns logger's lines)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "pid": record.process,
        }
        line.update({k: getattr(record, k) for k in _EXTRA if hasattr(record, k)})
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def install() -> None:
    """The turns logger's JSON lines (stderr, always); with AGENT_ASSIST_LOG_FORMAT=json,
    every handler of the root logger writes JSON lines too."""
    request_ids = RequestIdFilter()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    handler.addFilter(request_ids)
    TURNS.addHandler(handler)
    TURNS.setLevel(logging.INFO)
    TURNS.propagate = False
    for h in logging.getLogger().handlers:
        h.addFilter(request_ids)
        if os.environ.get(FORMAT_ENV, "").lower() == "json":
            h.setFormatter(JsonLines())
