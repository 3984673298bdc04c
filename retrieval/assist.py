"""`AgentAssist`: the retrieval layer's one entry point for the API and the Rasa actions.
Given a customer and the current turn (its text and the classifier's intent), it returns
the customer context with the journey stage and its evidence, ranked suggestions filled
with the customer's facts, the next best action (with marketing suppression) and, when a
history index is given, the most relevant past events of this customer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from retrieval.context import ContextBuilder, CustomerContext
from retrieval.index import VectorIndex
from retrieval.nba import NextBestAction, NextBestActionRules
from retrieval.ranker import HybridRanker, Suggestion
from retrieval.store import HistoryStore

# what related history leaves out: the bot's and the system's own words (notices, questions)
NOT_HISTORY = frozenset({"chat_bot", "chat_system"})


@dataclass(frozen=True, slots=True)
class Related:
    """One past event of this customer that is like the current turn."""

    event_id: str
    customer_id: str
    channel: str
    type: str
    ts: datetime
    text: str
    score: float  # cosine similarity to the turn
    reason: str  # why it is shown, for the agent
    conversation_id: str | None = None  # when it was said in an earlier conversation


@dataclass(frozen=True, slots=True)
class AssistResult:
    context: CustomerContext
    suggestions: list[Suggestion]
    next_best_action: NextBestAction
    related_history: list[Related] = field(default_factory=list)  # past events like the turn

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AgentAssist:
    def __init__(
        self,
        store: HistoryStore,
        ranker: HybridRanker,
        context: ContextBuilder | None = None,
        rules: NextBestActionRules | None = None,
        index: VectorIndex | None = None,
    ) -> None:
        self.store = store
        self.ranker = ranker
        self.context = context or ContextBuilder(store)
        self.rules = rules or NextBestActionRules.load()
        self.index = index

    def warm_up(self) -> AgentAssist:
        self.ranker.warm_up()
        return self

    def close(self) -> None:
        """Stop the query encoder's worker thread, if it has one (intent/batching.py)."""
        close = getattr(self.ranker.encoder, "close", None)
        if callable(close):
            close()

    def assist(
        self,
        customer_id: str | None,
        text: str,
        intent: str | None = None,
        intent_confidence: float = 1.0,
        frustration: float | None = None,
        now: datetime | None = None,
        k: int = 3,
        query_vector: np.ndarray | None = None,
        conversation_id: str | None = None,
    ) -> AssistResult:
        ctx = self.context.build(customer_id, intent, now, current_text=text)
        qv = query_vector
        if qv is None:
            qv = self.ranker.encoder.encode([text], 1)[0]
        suggestions = self.ranker.rank(
            text, k, intent, intent_confidence, ctx.stage.stage, ctx.facts, query_vector=qv
        )
        nba = self.rules.decide(ctx, intent, frustration)
        related = self.related(customer_id, qv, conversation_id) if customer_id else []
        return AssistResult(ctx, suggestions, nba, related)

    def related(
        self,
        customer_id: str,
        query: np.ndarray,
        conversation_id: str | None = None,
        k: int = 5,
        min_score: float = 0.3,
    ) -> list[Related]:
        """The customer's past events and conversations most like the turn (semantic
        search over their history), leaving out the current conversation and the bot's and
        system's own words; each with its text, date, channel, score and a reason."""
        if self.index is None:
            return []
        hits = self.index.search_customer(customer_id, query, k=k * 4)
        if not hits:
            return []
        events = {e.id: e for e in self.store.get_events([h.event_id for h in hits])}
        out: list[Related] = []
        for h in hits:
            e = events.get(h.event_id)
            if e is None or e.type in NOT_HISTORY or h.score < min_score:
                continue
            conv = e.attributes.get("conversation_id") if e.attributes else None
            if conversation_id is not None and conv == conversation_id:
                continue  # this conversation: the agent has it in front of them
            when = e.ts.strftime("%d %b %Y")
            where = f"an earlier chat ({when})" if conv else f"{e.channel} ({when})"
            out.append(
                Related(
                    e.id,
                    e.customer_id,
                    e.channel,
                    e.type,
                    e.ts,
                    e.text,
                    round(h.score, 4),
                    f"like this turn (similarity {h.score:.2f}): {where}",
                    str(conv) if conv else None,
                )
            )
            if len(out) == k:
                break
        return out
