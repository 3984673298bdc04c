"""The agent side of hand-off: claim, agent message, hand back to the bot, close. Each
goes through the store's atomic, audited, idempotent transition, then notifies the
conversation's subscribers and the agents' queue."""

from __future__ import annotations

import asyncio
import logging

from api import metrics
from api.conversations.errors import BotUnavailable, Forbidden, IllegalTransition
from api.conversations.state import Action, State
from api.conversations.store import Conversation, Turn
from api.conversations.turns import TurnRouter, request_handoff, turn_event
from api.notify import QUEUE, conversation_topic

HAND_BACK_NOTICE = "You are back with our assistant."
HANDED_BACK_INTENT = "EXTERNAL_handed_back"  # declared in rasa_bot/domain.yml
log = logging.getLogger("api.desk")
CLOSE_NOTICE = "This conversation is closed. Thank you for contacting us."


async def _transition(
    router: TurnRouter,
    conversation_id: str,
    action: Action,
    actor: str,
    reason: str = "",
    agent_id: str | None = None,
    notice: str | None = None,
) -> Conversation:
    res = await asyncio.to_thread(
        router.store.transition, conversation_id, action, actor, reason, agent_id
    )
    conv = res.conversation
    if res.changed:
        metrics.TRANSITIONS.labels(action=action.value).inc()
        if notice:
            t = await asyncio.to_thread(router.store.add_turn, conv, "system", notice)
            await router.hub.publish(conversation_topic(conv.id), turn_event(t))
        event = {
            "type": "state",
            "conversation_id": conv.id,
            "state": conv.state.value,
            "action": action.value,
            "actor": actor,
            "agent_id": conv.agent_id,
        }
        await router.hub.publish(conversation_topic(conv.id), event)
        await router.hub.publish(QUEUE, event)
    return conv


async def claim(router: TurnRouter, conversation_id: str, agent_id: str) -> Conversation:
    return await _transition(
        router, conversation_id, Action.CLAIM, f"agent:{agent_id}", "claimed", agent_id
    )


def _owned(conv: Conversation, agent_id: str, what: str) -> None:
    if conv.state is not State.HUMAN:
        raise IllegalTransition(conv.id, what, conv.state.value, "claim it first")
    if conv.agent_id != agent_id:
        raise Forbidden(f"conversation {conv.id!r} belongs to agent {conv.agent_id!r}")


async def agent_message(
    router: TurnRouter, conversation_id: str, agent_id: str, text: str, suggestion_id: str | None
) -> Turn:
    conv = await asyncio.to_thread(router.store.get, conversation_id)
    _owned(conv, agent_id, "send an agent message to")
    attrs = {"agent_id": agent_id} | ({"suggestion_id": suggestion_id} if suggestion_id else {})
    turn = await asyncio.to_thread(router.store.add_turn, conv, "agent", text, None, attrs)
    await router.hub.publish(conversation_topic(conv.id), turn_event(turn))
    return turn


async def hand_back(
    router: TurnRouter, conversation_id: str, agent_id: str, reason: str
) -> Conversation:
    """human -> bot. The bot's tracker is resumed before the customer can speak again;
    then the bot is told (intent `HANDED_BACK_INTENT`) and speaks first, e.g. asks whether
    the issue is solved and for a rating. Its messages are stored and published like any
    bot reply; a bot that cannot be reached is logged: the customer's next message then
    finds it unavailable and goes back to a person."""
    conv = await asyncio.to_thread(router.store.get, conversation_id)
    if conv.state is State.HUMAN:
        _owned(conv, agent_id, "hand back")
    resumed = router.bot is not None and conv.state is State.HUMAN
    if router.bot is not None and resumed:
        await router.bot.resume(conversation_id)
    conv = await _transition(
        router,
        conversation_id,
        Action.HAND_BACK,
        f"agent:{agent_id}",
        reason or "handed back to the bot",
        notice=HAND_BACK_NOTICE,
    )
    if router.bot is not None and resumed and conv.state is State.BOT:
        try:
            messages = await router.bot.trigger(conversation_id, HANDED_BACK_INTENT)
        except BotUnavailable as exc:
            log.warning("bot not told of the hand-back of %s: %s", conversation_id, exc)
            return conv
        _, asked = await router.store_bot_messages(conv, messages)
        if asked is not None:
            conv, _ = await request_handoff(router, conv.id, asked[0], "bot", None, asked[1])
    return conv


async def close(router: TurnRouter, conversation_id: str, actor: str, reason: str) -> Conversation:
    return await _transition(
        router, conversation_id, Action.CLOSE, actor, reason or "closed", notice=CLOSE_NOTICE
    )
