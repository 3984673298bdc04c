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
from retrieval.index import Hit, VectorIndex
from retrieval.nba import NextBestAction, NextBestActionRules
from retrieval.ranker import HybridRanker, Suggestion
from retrieval.store import HistoryStore


@dataclass(frozen=True, slots=True)
class AssistResult:
    context: CustomerContext
    suggestions: list[Suggestion]
    next_best_action: NextBestAction
    related_history: list[Hit] = field(default_factory=list)  # this customer's events like the turn

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
    ) -> AssistResult:
        ctx = self.context.build(customer_id, intent, now, current_text=text)
        qv = query_vector
        if qv is None:
            qv = self.ranker.encoder.encode([text], 1)[0]
        suggestions = self.ranker.rank(
            text, k, intent, intent_confidence, ctx.stage.stage, ctx.facts, query_vector=qv
        )
        nba = self.rules.decide(ctx, intent, frustration)
        related = (
            self.index.search_customer(customer_id, qv, k=5)
            if self.index is not None and customer_id
            else []
        )
        return AssistResult(ctx, suggestions, nba, related)
