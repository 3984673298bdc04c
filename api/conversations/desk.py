"""The agent side of hand-off: claim, agent message, hand back to the bot, close. Each
goes through the store's atomic, audited, idempotent transition, then notifies the
conversation's customer (customer-safe state) and the agents.

Ownership: while a person owns a conversation, only that agent may write in it, hand it
back or close it; a supervisor may do all three on anyone's conversation. `owner` below is
the identity the acting principal must own the conversation as (`None`: no check; see
`api.security.acting_owner`), checked inside the same conditional UPDATE / INSERT that
does the work, so an ownership change between a read and the write cannot slip through."""

from __future__ import annotations

import asyncio
import logging

from api import metrics
from api.conversations.errors import BotUnavailable, Forbidden, IllegalTransition
from api.conversations.state import Action, State
from api.conversations.store import Conversation, Turn
from api.conversations.turns import TurnRouter
from api.hub_events import state_events

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
    owner: str | None = None,
) -> Conversation:
    res = await asyncio.to_thread(
        router.store.transition, conversation_id, action, actor, reason, agent_id, owner
    )
    conv = res.conversation
    if res.changed:
        metrics.TRANSITIONS.labels(action=action.value).inc()
        if notice:
            await router.say(conv, "system", notice)
        await router.hub.publish(state_events(conv, action.value, actor))
    return conv


async def claim(
    router: TurnRouter, conversation_id: str, agent_id: str, actor: str | None = None
) -> Conversation:
    return await _transition(
        router, conversation_id, Action.CLAIM, actor or f"agent:{agent_id}", "claimed", agent_id
    )


def _check_owner(conv: Conversation, owner: str | None, what: str) -> None:
    if conv.state is not State.HUMAN:
        raise IllegalTransition(conv.id, what, conv.state.value, "claim it first")
    if owner is not None and conv.agent_id != owner:
        raise Forbidden(
            f"conversation {conv.id!r} belongs to agent {conv.agent_id!r}: only its owner "
            "or a supervisor may do this"
        )


async def agent_message(
    router: TurnRouter,
    conversation_id: str,
    agent_id: str,
    text: str,
    suggestion_id: str | None,
    owner: str | None,
) -> Turn:
    """`agent_id` writes; `owner` is who must own the conversation (None: a supervisor)."""
    conv = await asyncio.to_thread(router.store.get, conversation_id)
    what = "send an agent message to"
    _check_owner(conv, owner, what)
    attrs = {"agent_id": agent_id} | ({"suggestion_id": suggestion_id} if suggestion_id else {})
    only_if = {"state": State.HUMAN} | ({"agent_id": owner} if owner is not None else {})
    turn = await router.say(conv, "agent", text, attrs, **only_if)
    if turn is None:  # the conversation changed hands between the read and the write
        _check_owner(await asyncio.to_thread(router.store.get, conversation_id), owner, what)
        raise IllegalTransition(conversation_id, what, "changed", "reload it")
    return turn


async def hand_back(
    router: TurnRouter,
    conversation_id: str,
    agent_id: str,
    reason: str,
    owner: str | None,
    actor: str | None = None,
) -> Conversation:
    """human -> bot. The bot's tracker is resumed before the customer can speak again;
    then the bot is told (intent `HANDED_BACK_INTENT`) and speaks first, e.g. asks whether
    the issue is solved and for a rating. Its messages are stored and published like any
    bot reply; a bot that cannot be reached is logged: the customer's next message then
    finds it unavailable and goes back to a person."""
    conv = await asyncio.to_thread(router.store.get, conversation_id)
    if conv.state is State.HUMAN:
        _check_owner(conv, owner, "hand back")
    resumed = router.bot is not None and conv.state is State.HUMAN
    if router.bot is not None and resumed:
        await router.bot.resume(conversation_id)
    conv = await _transition(
        router,
        conversation_id,
        Action.HAND_BACK,
        actor or f"agent:{agent_id}",
        reason or "handed back to the bot",
        notice=HAND_BACK_NOTICE,
        owner=owner,
    )
    if router.bot is not None and resumed and conv.state is State.BOT:
        try:
            messages = await router.bot.trigger(conversation_id, HANDED_BACK_INTENT)
        except BotUnavailable as exc:
            log.warning("bot not told of the hand-back of %s: %s", conversation_id, exc)
            return conv
        _, asked = await router.store_bot_messages(conv, messages)
        if asked is not None:
            try:
                conv, _ = await router.request_handoff(conv.id, asked[0], "bot", None, asked[1])
            except IllegalTransition:  # a person took it meanwhile
                conv = await asyncio.to_thread(router.store.get, conversation_id)
    return conv


async def close(
    router: TurnRouter, conversation_id: str, actor: str, reason: str, owner: str | None
) -> Conversation:
    return await _transition(
        router,
        conversation_id,
        Action.CLOSE,
        actor,
        reason or "closed",
        notice=CLOSE_NOTICE,
        owner=owner,
    )
