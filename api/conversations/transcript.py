"""The one way a turn joins a conversation: stored (PII redacted by the store), then
published to its audiences (the customer's view to the customer, the full turn to
agents). Bot messages go through `bot_messages`, which stores them only while the bot
still owns the conversation."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from api.conversations.bot import BotMessage
from api.conversations.state import State
from api.conversations.store import Conversation, ConversationStore, Turn
from api.hub_events import turn_events
from api.notify import Hub

log = logging.getLogger("api.transcript")


@dataclass(frozen=True, slots=True)
class BotAnswer:
    replies: list[Turn]  # the bot's words that were stored and published
    handoff: tuple[str, str | None] | None  # (reason, the bot's summary) if it asked for one
    dropped: bool  # a person took over while the bot answered: the rest was not stored


class Transcript:
    def __init__(self, store: ConversationStore, hub: Hub) -> None:
        self.store = store
        self.hub = hub

    async def say(
        self,
        conv: Conversation,
        role: str,
        text: str,
        attributes: dict[str, Any] | None = None,
        **only_if: Any,
    ) -> Turn | None:
        """Append a turn and publish it. With `only_if` (state=..., version=...,
        agent_id=...) it is stored only while the conversation still is so: None if not."""
        if only_if:
            turn = await asyncio.to_thread(
                self.store.add_turn_if, conv, role, text, attributes, **only_if
            )
        else:
            turn = await asyncio.to_thread(self.store.add_turn, conv, role, text, None, attributes)
        if turn is not None:
            await self.hub.publish(turn_events(turn))
        return turn

    async def bot_messages(self, conv: Conversation, messages: list[BotMessage]) -> BotAnswer:
        """Store the bot's texts as bot turns, as long as the bot still owns `conv` at its
        version (a person who claimed meanwhile never sees the bot speak). A
        `custom.awaiting` (the bot asked a question: an order number, a rating) is kept on
        the bot's last turn, so the answer is not judged as a new request by the hand-off
        policy; a `custom.handoff` is returned with its reason and the bot's summary."""
        awaiting = next(
            (str(m.custom["awaiting"]) for m in messages if m.custom.get("awaiting")), None
        )
        texts = [m for m in messages if m.text]
        replies: list[Turn] = []
        for k, m in enumerate(texts):
            attrs: dict[str, Any] = {"buttons": m.buttons} if m.buttons else {}
            if awaiting and k == len(texts) - 1:
                attrs["awaiting"] = awaiting
            turn = await self.say(conv, "bot", m.text, attrs, state=State.BOT, version=conv.version)
            if turn is None:
                log.info("bot reply to %s dropped: the bot no longer owns it", conv.id)
                return BotAnswer(replies, None, dropped=True)
            replies.append(turn)
        asked: tuple[str, str | None] | None = None
        for m in messages:
            if m.custom.get("handoff"):
                summary = m.custom.get("summary")
                asked = (
                    str(m.custom.get("reason") or "the bot asked for a person"),
                    str(summary) if summary else None,
                )
        return BotAnswer(replies, asked, dropped=False)
