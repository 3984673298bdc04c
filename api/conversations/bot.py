"""The bot seam: `BotClient` and its Rasa REST implementation
(`POST {rasa_url}/webhooks/rest/webhook`, sender = conversation id)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from api.conversations.errors import BotUnavailable

log = logging.getLogger("api.bot")


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


class RasaRestBotClient:
    """Rasa Open Source's REST channel. Any transport error, timeout or non-2xx answer is
    `BotUnavailable`, which the turn router turns into a hand-off."""

    def __init__(
        self,
        base_url: str,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,  # tests: httpx.MockTransport
        token: str | None = None,  # Rasa's `--auth-token`, for the tracker HTTP API
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = httpx.AsyncClient(timeout=timeout_s, transport=transport)

    def _params(self) -> dict[str, str] | None:
        return {"token": self.token} if self.token else None

    async def reply(
        self, conversation_id: str, text: str, metadata: Mapping[str, Any]
    ) -> list[BotMessage]:
        body = await self._post_json(
            "/webhooks/rest/webhook",
            {"sender": conversation_id, "message": text, "metadata": dict(metadata)},
        )
        return self._messages(body)

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
