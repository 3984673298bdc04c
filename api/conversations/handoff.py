"""Hand-off: bot -> queued with a reason, the bot's tracker paused, the hand-off packet
built from the stored (redacted) turns and kept, the customer told (customer view, no
reason) and the agents' queue notified."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from api import metrics
from api.assist_payload import AssistBuilder, issue_text
from api.contract import HandoffPacket, PacketTurn
from api.conversations.bot import BotClient
from api.conversations.state import Action
from api.conversations.store import Conversation, ConversationStore, Turn
from api.conversations.transcript import Transcript
from api.conversations.wording import language_of, say
from api.hub_events import CustomerState, Queued
from api.notify import Hub
from intent.pipeline import TurnAnalysis

log = logging.getLogger("api.handoff")

HandoffKind = Literal[
    "asked_for_person",  # the customer asked (the policy's explicit intents, or the route)
    "frustration",  # the policy: the customer's frustration
    "low_confidence",  # the policy: turns in a row the bot did not understand
    "business_rule",  # the policy: one of its business rules
    "bot",  # the bot's actions handed off
    "bot_unavailable",  # Rasa down, timing out or not configured
    "classifier_failed",
    "requested",  # a person or CCaaS software through the API (any reason)
    "other",
]


def reason_kind(reason: str, actor: str) -> HandoffKind:
    """A hand-off's reason as one of a few kinds (the metric's label: the reasons
    themselves are free text), from who asked and the words the asker uses."""
    text = reason.lower()
    if actor == "policy":
        if text == "the customer asked for a person":
            return "asked_for_person"
        if text.startswith("customer frustration"):
            return "frustration"
        if "did not understand" in text:
            return "low_confidence"
        return "business_rule"
    if actor == "bot":
        return "bot"
    if actor == "system":
        if text.startswith("bot unavailable"):
            return "bot_unavailable"
        if "classifier failed" in text:
            return "classifier_failed"
        return "other"
    if text == "the customer asked for a person":
        return "asked_for_person"
    return "requested"


class Handoff:
    def __init__(
        self,
        store: ConversationStore,
        transcript: Transcript,
        hub: Hub,
        bot: BotClient | None,
        assist: AssistBuilder,
    ) -> None:
        self.store = store
        self.transcript = transcript
        self.hub = hub
        self.bot = bot
        self.assist = assist

    async def request(
        self,
        conversation_id: str,
        reason: str,
        actor: str,
        analysis: TurnAnalysis | None = None,
        bot_summary: str | None = None,
    ) -> tuple[Conversation, Turn | None]:
        """bot -> queued. An idempotent repeat changes nothing and tells no one; a
        conversation that is not bot-owned raises IllegalTransition. `analysis` is the
        triggering turn's (the packet does not classify it again); `bot_summary` is the
        bot's own account of what it did, when it asked for the hand-off."""
        res = await asyncio.to_thread(
            self.store.transition, conversation_id, Action.REQUEST_HANDOFF, actor, reason
        )
        if not res.changed:
            return res.conversation, None
        metrics.TRANSITIONS.labels(action=Action.REQUEST_HANDOFF.value).inc()
        metrics.HANDOFFS.labels(reason=reason_kind(reason, actor)).inc()
        conv = res.conversation
        if self.bot is not None:
            await self.bot.pause(conv.id)
        packet = await asyncio.to_thread(self.packet, conv, reason, analysis, bot_summary)
        await asyncio.to_thread(self.store.set_packet, conv.id, packet.model_dump(mode="json"))
        # the reason is an agent-only attribute: the customer's view of a turn drops it
        text = say("handoff", language_of(conv))
        notice = await self.transcript.say(conv, "system", text, {"reason": reason})
        await self.hub.publish(
            CustomerState(conversation_id=conv.id, state=conv.state.value, version=conv.version),
            Queued(conversation_id=conv.id, reason=reason),
        )
        return conv, notice

    def packet(
        self,
        conv: Conversation,
        reason: str,
        analysis: TurnAnalysis | None = None,
        bot_said: str | None = None,
    ) -> HandoffPacket:
        """What the agent gets: transcript, what the bot did, why, the customer's context
        and stage, and a suggested first reply."""
        turns = self.store.turns(conv.id)
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
        packet = HandoffPacket(
            reason=reason,
            bot_summary=summary,
            transcript=[
                PacketTurn(role=t.role, text=t.text, ts=t.ts, intent=t.intent) for t in turns
            ],
        )
        if not customer:
            return packet
        try:
            issue = issue_text([(t.role, t.text, t.intent) for t in turns]) or customer[-1].text
            reuse = analysis if analysis and analysis.prediction.text == issue else None
            payload = self.assist.build(
                conv.customer_id, issue, reuse, None, conv.id, language_of(conv)
            )
        except Exception as exc:  # the packet goes out even when retrieval cannot help
            log.exception("hand-off packet without retrieval")
            packet.warnings.append(f"customer context unavailable ({type(exc).__name__})")
            return packet
        packet.customer_context = payload.customer_context
        packet.journey_stage = payload.journey_stage
        if payload.suggestions:
            packet.suggested_first_reply = payload.suggestions[0].text
        packet.warnings = payload.warnings
        return packet
