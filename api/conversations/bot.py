"""The bot seam: `BotClient` and its Rasa REST implementation
(`POST {rasa_url}/webhooks/rest/webhook`, sender = conversation id).

What the Rasa client guarantees for each customer message:
- the customer's text is never a Rasa command (`as_customer_text`);
- the customer id in the metadata is signed for the conversation (`sign_customer`), so
  the bot's actions can tell it from one that anybody reaching them made up.
The request id of the API request (api/request_id.py) goes with every call as
`X-Request-ID`, and with a customer's message in its metadata (`request_id`): Rasa hands
the metadata to the actions, which log it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from api import request_id
from api.conversations.errors import BotUnavailable

log = logging.getLogger("api.bot")

# Rasa 3.6 reads a message as a command when its text, after str.strip(), starts with "/"
# (rasa.shared.constants.INTENT_MESSAGE_PREFIX): RegexMessageHandler, the last step of the
# NLU graph, then replaces the intent with the one named in `/intent{"entity": ...}@0.9`
# (any intent of the domain, Rasa's own `restart` / `session_start` / `back` included).
INTENT_MESSAGE_PREFIX = "/"
# U+2060 WORD JOINER: invisible, not whitespace (str.strip keeps it), and not a word
# character, so the actions' `\bORD-...` patterns still match right after it
COMMAND_GUARD = "\u2060"
SIGNATURE_KEY = "customer_sig"  # metadata key, next to "customer_id"
SIGNATURE_VERSION = "v1"


def as_customer_text(text: str) -> str:
    """`text` as Rasa must see it: unchanged, unless Rasa would read it as a command; then
    COMMAND_GUARD goes in front. Leading characters that are whitespace, or invisible
    (Unicode categories Z* / C*), are looked through: a superset of what Rasa strips."""
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start])[0] in "ZC"
    ):
        start += 1
    if text.startswith(INTENT_MESSAGE_PREFIX, start):
        return COMMAND_GUARD + text
    return text


def _signed_bytes(conversation_id: str, customer_id: str) -> bytes:
    # netstrings ("<byte length>:<bytes>,"): no two id pairs give the same bytes
    parts = (f"agent-assist customer {SIGNATURE_VERSION}", conversation_id, customer_id)
    out = b""
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass")
        out += str(len(raw)).encode() + b":" + raw + b","
    return out


def sign_customer(secret: str, conversation_id: str, customer_id: str) -> str:
    """`v1=<hex HMAC-SHA256>` of (conversation id, customer id), keyed with the bot secret.
    The actions check it (rasa_bot/actions/trust.py, the same scheme; a test keeps the two
    in step)."""
    mac = hmac.new(
        secret.encode("utf-8", "surrogatepass"),
        _signed_bytes(conversation_id, customer_id),
        hashlib.sha256,
    )
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


@dataclass(frozen=True, slots=True)
class BotMessage:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)  # Rasa's {title, payload}
    custom: dict[str, Any] = field(default_factory=dict)  # Rasa's `custom` payload


class BotClient(Protocol):
    async def reply(
        self, conversation_id: str, text: str, metadata: Mapping[str, Any]
    ) -> list[BotMessage]:
        """The bot's answers to one customer turn; raises BotUnavailable."""
        ...

    async def ping(self) -> bool: ...

    async def pause(self, conversation_id: str) -> None:
        """Stop the bot's tracker (a person owns the conversation); best effort."""
        ...

    async def resume(self, conversation_id: str) -> None:
        """Give the conversation back to the bot's tracker; best effort."""
        ...

    async def trigger(
        self, conversation_id: str, intent: str, entities: Mapping[str, Any] | None = None
    ) -> list[BotMessage]:
        """Make the bot act on `intent` without a customer message (e.g. after a hand-back)
        and return what it says; raises BotUnavailable."""
        ...


async def _with_request_id(request: httpx.Request) -> None:
    rid = request_id.current()
    if rid:
        request.headers[request_id.HEADER] = rid


class RasaRestBotClient:
    """Rasa Open Source's REST channel. Any transport error, timeout or non-2xx answer is
    `BotUnavailable`, which the turn router turns into a hand-off."""

    def __init__(
        self,
        base_url: str,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,  # tests: httpx.MockTransport
        token: str | None = None,  # Rasa's `--auth-token`, for the tracker HTTP API
        bot_secret: str | None = None,  # signs the customer id for the actions
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.bot_secret = bot_secret
        self._client = httpx.AsyncClient(
            timeout=timeout_s, transport=transport, event_hooks={"request": [_with_request_id]}
        )

    def _params(self) -> dict[str, str] | None:
        return {"token": self.token} if self.token else None

    async def reply(
        self, conversation_id: str, text: str, metadata: Mapping[str, Any]
    ) -> list[BotMessage]:
        """The customer's text goes as text, never as a command (`as_customer_text`); the
        metadata's `customer_id` goes signed for this conversation (no secret: unsigned,
        and the actions ask the API whose conversation it is)."""
        meta = dict(metadata)
        meta.pop(SIGNATURE_KEY, None)  # only this client signs
        customer_id = meta.get("customer_id")
        if self.bot_secret and isinstance(customer_id, str) and customer_id:
            meta[SIGNATURE_KEY] = sign_customer(self.bot_secret, conversation_id, customer_id)
        rid = request_id.current()
        if rid:
            meta[request_id.METADATA_KEY] = rid
        body = await self._post_json(
            "/webhooks/rest/webhook",
            {"sender": conversation_id, "message": as_customer_text(text), "metadata": meta},
        )
        messages = self._messages(body)
        if not messages:
            # Rasa's REST channel answers 200 [] when it fails a turn inside (its lock
            # store unreachable, a tracker store error, a timeout: logged there as
            # rest.message.received.failure), and a paused tracker says nothing: either
            # way the customer would wait for an answer that never comes
            raise BotUnavailable("bot unavailable: the bot answered the turn with no message")
        return messages

    async def trigger(
        self, conversation_id: str, intent: str, entities: Mapping[str, Any] | None = None
    ) -> list[BotMessage]:
        """`POST /conversations/{id}/trigger_intent` (Rasa's HTTP API, `--enable-api`). No
        `output_channel`: Rasa then collects the bot's messages into its answer."""
        body = await self._post_json(
            f"/conversations/{conversation_id}/trigger_intent",
            {"name": intent, "entities": dict(entities or {})},
            self._params(),
        )
        if not isinstance(body, dict):
            raise BotUnavailable("bot unavailable: the trigger answer is not an object")
        return self._messages(body.get("messages") or [])

    async def _post_json(
        self, path: str, payload: Any, params: dict[str, str] | None = None
    ) -> Any:
        """POST to Rasa and return the decoded answer; any transport error, timeout,
        non-2xx status or non-JSON answer is `BotUnavailable`."""
        try:
            r = await self._client.post(f"{self.base_url}{path}", json=payload, params=params)
            r.raise_for_status()
            return r.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(f"bot unavailable: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _messages(body: Any) -> list[BotMessage]:
        if not isinstance(body, list):
            raise BotUnavailable("bot unavailable: the bot's answer is not a list of messages")
        out = []
        for m in body:
            if not isinstance(m, dict):
                continue
            text_out = str(m.get("text") or "")
            custom = m.get("custom") if isinstance(m.get("custom"), dict) else {}
            if text_out or custom:
                out.append(BotMessage(text_out, list(m.get("buttons") or []), dict(custom or {})))
        return out

    async def ping(self) -> bool:
        try:
            r = await self._client.get(f"{self.base_url}/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return r.status_code < 500

    async def _tracker_events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Append events to Rasa's tracker (needs `rasa run --enable-api`). The API never
        routes a turn to the bot while a person owns it, so a failure here is logged and
        does not block the hand-off."""
        try:
            r = await self._client.post(
                f"{self.base_url}/conversations/{conversation_id}/tracker/events",
                json=events,
                params=self._params(),
            )
            r.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("rasa tracker update for %s failed: %s", conversation_id, exc)

    async def pause(self, conversation_id: str) -> None:
        await self._tracker_events(conversation_id, [{"event": "pause"}])

    async def resume(self, conversation_id: str) -> None:
        # A form the bot was filling when a person took over is stale: close it. A resumed
        # tracker must be listening again, or its next turn breaks.
        await self._tracker_events(
            conversation_id,
            [
                {"event": "resume"},
                {"event": "active_loop", "name": None},
                {"event": "slot", "name": "requested_slot", "value": None},
                {"event": "action", "name": "action_listen"},
            ],
        )

    async def aclose(self) -> None:
        await self._client.aclose()
