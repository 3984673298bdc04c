"""The agent side of hand-off: claim, agent message, hand back to the bot, close. Each
goes through the store's atomic, audited, idempotent transition, then notifies the
conversation's subscribers and the agents' queue."""

from __future__ import annotations

import asyncio

from api import metrics
from api.conversations.errors import Forbidden, IllegalTransition
from api.conversations.state import Action, State
from api.conversations.store import Conversation, Turn
from api.conversations.turns import TurnRouter, turn_event
from api.notify import QUEUE, conversation_topic

HAND_BACK_NOTICE = "You are back with our assistant. Is there anything else I can help with?"
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
    conv = await asyncio.to_thread(router.store.get, conversation_id)
    if conv.state is State.HUMAN:
        _owned(conv, agent_id, "hand back")
    if router.bot is not None and conv.state is State.HUMAN:
        await router.bot.resume(conversation_id)  # before the customer can speak again
    return await _transition(
        router,
        conversation_id,
        Action.HAND_BACK,
        f"agent:{agent_id}",
        reason or "handed back to the bot",
        notice=HAND_BACK_NOTICE,
    )


async def close(router: TurnRouter, conversation_id: str, actor: str, reason: str) -> Conversation:
    return await _transition(
        router, conversation_id, Action.CLOSE, actor, reason or "closed", notice=CLOSE_NOTICE
    )
