"""One customer turn, in the order architecture.md fixes: persist the message FIRST, then
classify, then (bot-owned) apply the hand-off policy and ask the bot, or (queued /
human-owned) push the turn to the agent stream. Any failure after the message is stored
sends the conversation to a person with the reason; the customer is told."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api import metrics
from api.assist_payload import CONVERSATIONAL_INTENTS, AssistBuilder, analysis_dict, issue_text
from api.conversations.bot import BotClient, BotMessage
from api.conversations.errors import BotUnavailable, ConversationClosed
from api.conversations.policy import HandoffPolicy, TurnSignals
from api.conversations.state import Action, State
from api.conversations.store import Conversation, ConversationStore, Turn
from api.conversations.store import json_safe as store_safe
from api.notify import QUEUE, Hub, conversation_topic
from intent.pipeline import TurnAnalysis

log = logging.getLogger("api.turns")

HANDOFF_NOTICE = (
    "I'm passing you to a member of our team, who will have our whole conversation. "
    "Please stay here: someone will be with you shortly."
)
# customer -> (tier, lifetime value, open tickets)
ProfileFn = Callable[[str | None], tuple[str | None, float, int]]


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    turn: Turn
    conversation: Conversation
    analysis: dict[str, Any] | None  # intent / entities / sentiment; None if the classifier failed
    replies: list[Turn] = field(default_factory=list)  # what the customer is sent back
    handoff_reason: str | None = None  # set when this turn handed the conversation off


def turn_event(turn: Turn, kind: str = "message") -> dict[str, Any]:
    return {
        "type": kind,
        "conversation_id": turn.conversation_id,
        "turn": {
            "id": turn.id,
            "role": turn.role,
            "text": turn.text,
            "ts": turn.ts.isoformat(),
            "intent": turn.intent,
            "attributes": turn.attributes,  # e.g. the bot's buttons, as the REST transcript
        },
    }


class TurnRouter:
    def __init__(
        self,
        store: ConversationStore,
        assist: AssistBuilder,
        policy: HandoffPolicy,
        bot: BotClient | None,
        hub: Hub,
        profile: ProfileFn,
    ) -> None:
        self.store = store
        self.assist = assist
        self.policy = policy
        self.bot = bot
        self.hub = hub
        self.profile = profile

    async def customer_turn(self, conversation_id: str, text: str) -> TurnOutcome:
        conv = await asyncio.to_thread(self.store.get, conversation_id)
        if conv.state is State.CLOSED:
            raise ConversationClosed(conversation_id)
        turn = await asyncio.to_thread(self.store.add_turn, conv, "customer", text)  # FIRST
        await self.hub.publish(conversation_topic(conv.id), turn_event(turn))
        analysis: TurnAnalysis | None = None
        failure: str | None = None
        try:
            analysis = (await asyncio.to_thread(self.assist.analyzer.analyze, [text]))[0]
        except Exception as exc:  # the message is stored; a person takes over
            log.exception("classifier failed on %s", turn.id)
            failure = f"the classifier failed ({type(exc).__name__}); a person must read this"
        info = analysis_dict(analysis) if analysis else None
        if analysis is not None and info is not None:
            attrs = {k: info[k] for k in ("entities", "sentiment")} | {
                "confidence": analysis.prediction.confidence,
                "out_of_scope": analysis.prediction.out_of_scope,
            }
            await asyncio.to_thread(
                self.store.annotate_turn, turn.id, analysis.prediction.intent, attrs
            )
        conv = await asyncio.to_thread(self.store.get, conversation_id)  # state may have moved
        if conv.state is not State.BOT:
            metrics.TURNS.labels(route="agent").inc()
            await self.hub.publish(QUEUE, {"type": "customer_message", "conversation_id": conv.id})
            await self._push_assist(conv, text, analysis)
            return TurnOutcome(turn, conv, info)
        metrics.TURNS.labels(route="bot").inc()
        if failure is not None or analysis is None:
            return await self._handoff(conv, turn, info, failure or "classifier failed", "system")
        tier, value, open_tickets = await asyncio.to_thread(self.profile, conv.customer_id)
        p = analysis.prediction
        decision = self.policy.decide(
            TurnSignals(
                p.intent,
                p.confidence,
                p.out_of_scope,
                analysis.sentiment.frustration,
                tier,
                value,
                open_tickets,
                answering=await asyncio.to_thread(self._bot_awaits, conv.id),
            ),
            conv.low_confidence_streak,
        )
        await asyncio.to_thread(self.store.set_streak, conv.id, decision.streak)
        if decision.handoff:
            return await self._handoff(
                conv, turn, info, decision.reason or "policy", "policy", analysis
            )
        if self.bot is None:
            return await self._handoff(
                conv, turn, info, "bot unavailable: none configured", "system", analysis
            )
        try:
            messages = await self.bot.reply(conv.id, text, bot_metadata(conv, analysis))
        except BotUnavailable as exc:
            log.warning("bot unavailable for %s: %s", conv.id, exc)
            return await self._handoff(conv, turn, info, "bot unavailable", "system", analysis)
        replies, asked = await self.store_bot_messages(conv, messages)
        if asked is not None:
            reason, summary = asked
            out = await self._handoff(conv, turn, info, reason, "bot", analysis, summary)
            return TurnOutcome(turn, out.conversation, info, replies + out.replies, reason)
        return TurnOutcome(turn, conv, info, replies)

    async def store_bot_messages(
        self, conv: Conversation, messages: list[BotMessage]
    ) -> tuple[list[Turn], tuple[str, str | None] | None]:
        """Store the bot's texts as bot turns and publish them. Returns them, and (reason,
        the bot's summary) when the bot asked for a person (`custom.handoff`). A
        `custom.awaiting` (the bot asked the customer a question: an order number, a
        rating) is kept on the bot's last turn, so the answer is not judged as a new
        request by the hand-off policy."""
        asked: tuple[str, str | None] | None = None
        awaiting = next(
            (str(m.custom["awaiting"]) for m in messages if m.custom.get("awaiting")), None
        )
        texts = [m for m in messages if m.text]
        replies = []
        for k, m in enumerate(texts):
            attrs: dict[str, Any] = {"buttons": m.buttons} if m.buttons else {}
            if awaiting and k == len(texts) - 1:
                attrs["awaiting"] = awaiting
            bt = await asyncio.to_thread(self.store.add_turn, conv, "bot", m.text, None, attrs)
            replies.append(bt)
            await self.hub.publish(conversation_topic(conv.id), turn_event(bt))
        for m in messages:
            if m.custom.get("handoff"):
                summary = m.custom.get("summary")
                asked = (
                    str(m.custom.get("reason") or "the bot asked for a person"),
                    str(summary) if summary else None,
                )
        return replies, asked

    async def _push_assist(
        self, conv: Conversation, text: str, analysis: TurnAnalysis | None
    ) -> None:
        """The agent panel gets the assist payload of each turn while a person owns it."""
        handoff = {
            "state": conv.state.value,
            "agent_id": conv.agent_id,
            "reason": conv.handoff_reason,
        }
        if analysis is None or analysis.prediction.intent in CONVERSATIONAL_INTENTS:
            turns = await asyncio.to_thread(self.store.turns, conv.id)
            issue = issue_text([(t.role, t.text, t.intent) for t in turns]) or text
            if issue != text:
                text, analysis = issue, None  # the issue turn is analysed afresh (cached)
        try:
            payload = await asyncio.to_thread(
                self.assist.build, conv.customer_id, text, analysis, handoff
            )
        except Exception:  # the turn is stored and routed; assist is a bonus
            log.exception("assist payload for %s failed", conv.id)
            return
        await self.hub.publish(
            conversation_topic(conv.id),
            {"type": "assist", "conversation_id": conv.id, "payload": store_safe(payload)},
        )

    def _bot_awaits(self, conversation_id: str) -> bool:
        """Whether the bot's last words before this customer turn were a question it is
        waiting on (`awaiting` on the bot turn)."""
        for t in reversed(self.store.turns(conversation_id, limit=4)):
            if t.role in ("bot", "agent", "system"):
                return t.role == "bot" and bool(t.attributes.get("awaiting"))
        return False

    async def _handoff(
        self,
        conv: Conversation,
        turn: Turn,
        info: dict[str, Any] | None,
        reason: str,
        actor: str,
        analysis: TurnAnalysis | None = None,
        bot_summary: str | None = None,
    ) -> TurnOutcome:
        conv, notice = await request_handoff(self, conv.id, reason, actor, analysis, bot_summary)
        return TurnOutcome(turn, conv, info, [notice] if notice else [], reason)


def bot_metadata(conv: Conversation, analysis: TurnAnalysis) -> dict[str, Any]:
    """What the bot gets with the customer's text: who the customer is, and this turn's
    analysis, so the bot's NLU (rasa_bot/components/product_intent.py) reuses it instead
    of classifying the text a second time."""
    p = analysis.prediction
    return {
        "customer_id": conv.customer_id,
        "intent": p.intent,
        "confidence": p.confidence,
        "out_of_scope": p.out_of_scope,
        "intent_ranking": [{"name": r.name, "confidence": r.confidence} for r in p.ranking],
        "entities": [e.to_dict() for e in analysis.entities if e.type != "card_number"],
    }


async def request_handoff(
    router: TurnRouter,
    conversation_id: str,
    reason: str,
    actor: str,
    analysis: TurnAnalysis | None = None,
    bot_summary: str | None = None,
) -> tuple[Conversation, Turn | None]:
    """bot -> queued with `reason`, the hand-off packet stored, the customer told and the
    agents' queue notified. An idempotent repeat changes nothing and tells no one.
    `analysis` is the triggering turn's, so the packet does not classify it again;
    `bot_summary` is the bot's own account of what it did, when it asked for the hand-off."""
    res = await asyncio.to_thread(
        router.store.transition, conversation_id, Action.REQUEST_HANDOFF, actor, reason
    )
    if not res.changed:
        return res.conversation, None
    metrics.TRANSITIONS.labels(action=Action.REQUEST_HANDOFF.value).inc()
    conv = res.conversation
    if router.bot is not None:
        await router.bot.pause(conv.id)
    packet = await asyncio.to_thread(build_packet, router, conv, reason, analysis, bot_summary)
    await asyncio.to_thread(router.store.set_packet, conv.id, packet)
    notice = await asyncio.to_thread(
        router.store.add_turn, conv, "system", HANDOFF_NOTICE, None, {"reason": reason}
    )
    await router.hub.publish(conversation_topic(conv.id), turn_event(notice))
    await router.hub.publish(
        QUEUE, {"type": "queued", "conversation_id": conv.id, "reason": reason}
    )
    return conv, notice


def build_packet(
    router: TurnRouter,
    conv: Conversation,
    reason: str,
    analysis: TurnAnalysis | None = None,
    bot_said: str | None = None,
) -> dict[str, Any]:
    """What the agent gets on hand-off: transcript, what the bot did, why, the customer's
    context and stage, and a suggested first reply."""
    turns = router.store.turns(conv.id)
    customer = [t for t in turns if t.role == "customer"]
    bot = [t for t in turns if t.role == "bot"]
    intents = sorted({t.intent for t in customer if t.intent and t.intent != "out_of_scope"})
    summary = (
        f"The bot handled {len(customer)} customer message(s)"
        + (f" about {', '.join(intents)}" if intents else "")
        + f" and sent {len(bot)} reply(ies)"
        + (f"; its last reply: {bot[-1].text[:400]!r}" if bot else "")
        + f". Handed off because: {reason}."
    )
    if bot_said:
        summary = f"{bot_said.strip()} {summary}"
    packet: dict[str, Any] = {
        "reason": reason,
        "bot_summary": summary,
        "transcript": [
            {"role": t.role, "text": t.text, "ts": t.ts.isoformat(), "intent": t.intent}
            for t in turns
        ],
        "customer_context": None,
        "journey_stage": None,
        "suggested_first_reply": None,
    }
    if customer:
        try:
            issue = issue_text([(t.role, t.text, t.intent) for t in turns]) or customer[-1].text
            reuse = analysis if analysis and analysis.prediction.text == issue else None
            payload = router.assist.build(conv.customer_id, issue, reuse)
        except Exception as exc:  # the packet goes out even when retrieval cannot help
            log.exception("hand-off packet without retrieval")
            packet["warnings"] = [f"customer context unavailable ({type(exc).__name__})"]
            return packet
        packet["customer_context"] = payload["customer_context"]
        packet["journey_stage"] = payload["journey_stage"]
        if payload["suggestions"]:
            packet["suggested_first_reply"] = payload["suggestions"][0]["text"]
        packet["warnings"] = payload["warnings"]
    return packet
