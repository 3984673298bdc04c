"""`AgentAssist`: the retrieval layer's one entry point for the API and the Rasa actions.
Given a customer and the current turn (its text and the classifier's intent), it returns
the customer context with the journey stage and its evidence, ranked suggestions filled
with the customer's facts, the next best action (with marketing suppression) and, when a
history index is given, the most relevant past events of this customer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from intent.encoder import Encoder, encoder_name
from intent.language import detect
from intent.multilingual_encoder import NEUTRAL_NAME
from retrieval.context import ContextBuilder, CustomerContext
from retrieval.index import CASE_TYPES, NOT_INDEXED, VectorIndex
from retrieval.journey import DialogueTurn, JourneyConfig
from retrieval.journey_rules import JourneyRules
from retrieval.nba import NextBestAction, NextBestActionRules
from retrieval.pii import Redactor, embedding_text
from retrieval.ranker import HybridRanker, Suggestion
from retrieval.responses import DEFAULT_LANGUAGE
from retrieval.store import HistoryStore

# the similarity below which a past event is not shown, per history encoder (setting
# related_min_score overrides the base index's). Chosen on the benchmark's sweeps (labelled
# sets of held-out utterances: an earlier chat, e-mail or call and a paraphrase of it).
# MiniLM (`make bench-retrieval ONLY=related`): the highest cut that keeps recall@3 >= 0.9
# (0.3 lost 3 points of recall: MiniLM scores many true paraphrases of short, misspelt turns
# 0.2-0.3); an unrelated turn still shows 3.65 of 5 items. The language-neutral e5 of the
# Chinese turns (`ONLY=related_zh`, bilingual set) scores any two texts high (unrelated
# ones 0.8-0.86): 0.86 shows as many unrelated items as MiniLM's cut (3.3 of 5) for 4.5
# points of recall. The price of a cut is more unrelated items on the panel for a turn
# about something new; the sweeps print both per value.
RELATED_MIN_SCORE = 0.25
RELATED_MIN_SCORES = {NEUTRAL_NAME: 0.86}
# other customers' wrap-ups are shown only when closer than this (they are not this
# customer's own words, so the bar is higher: for the language-neutral e5, where 0.89
# leaves an unrelated turn 0.37 items of its own history)
RESOLVED_MIN_SCORE = 0.4
RESOLVED_MIN_SCORES = {NEUTRAL_NAME: 0.89}


def related_cut(encoder: Encoder) -> float:
    """The related-history cut measured for `encoder` (MiniLM's for any other)."""
    return RELATED_MIN_SCORES.get(encoder_name(encoder), RELATED_MIN_SCORE)


def resolved_cut(encoder: Encoder) -> float:
    """The resolved-cases cut measured for `encoder` (MiniLM's for any other)."""
    return RESOLVED_MIN_SCORES.get(encoder_name(encoder), RESOLVED_MIN_SCORE)


# what related history leaves out: the bot's and the system's own words (notices,
# questions); the index no longer holds them, an index saved before it did still may
NOT_HISTORY = NOT_INDEXED


@dataclass(frozen=True, slots=True)
class Related:
    """One past event of this customer that is like the current turn (kind
    `own_history`), or another customer's wrap-up of a like problem (`resolved_case`,
    without that customer's id)."""

    event_id: str
    customer_id: str | None
    channel: str
    type: str
    ts: datetime
    text: str
    score: float  # cosine similarity to the turn
    reason: str  # why it is shown, for the agent
    conversation_id: str | None = None  # when it was said in an earlier conversation
    kind: str = "own_history"  # or "resolved_case"
    # an own wrap-up only: what an agent said to THIS customer then, in their words
    said_to_customer: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AssistResult:
    context: CustomerContext
    suggestions: list[Suggestion]
    next_best_action: NextBestAction
    related_history: list[Related] = field(default_factory=list)  # past events like the turn
    language: str = DEFAULT_LANGUAGE  # the suggestions' (the bank language that answered)

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
        related_min_score: float | None = None,
        redactor: Redactor | None = None,
        journey: JourneyRules | None = None,
        resolved_min_score: float | None = None,
        indexes: Mapping[str, VectorIndex] | None = None,
    ) -> None:
        """`journey`: the stage model's rules (stages, suppression, next best actions)
        when `context` is not given; default: the active model of data/journey/model.yml.
        `index`: the customers' history; `indexes`: a language's own index of the same
        history, e.g. `{"zh": <built with the language-neutral multilingual encoder>}` so a
        Chinese turn finds an English note. A turn is searched with its language's index
        and that index's encoder. `related_min_score` / `resolved_min_score`: `index`'s
        cuts of related history and of other customers' cases (default: those measured
        for its encoder, `related_cut()` / `resolved_cut()`; a language's index always has
        its encoder's)."""
        self.store = store
        self.ranker = ranker
        self.index = index
        self.indexes = dict(indexes or {})
        base = index.encoder if index is not None else ranker.encoder
        self.related_min_score = (
            related_min_score if related_min_score is not None else related_cut(base)
        )
        self.resolved_min_score = (
            resolved_min_score if resolved_min_score is not None else resolved_cut(base)
        )
        self.redactor = redactor or Redactor()
        if context is None:
            journey = journey or JourneyRules.load()
            context = journey.context(store)
            rules = rules or journey.actions
        self.context = context
        # one set of suppression rules: the context's marketing and the action's agree
        self.rules = rules or NextBestActionRules.load(
            model=context.journey.config.model, suppression=context.suppression
        )

    def history_index(self, language: str | None = None) -> VectorIndex | None:
        """The index a turn in `language` searches (its own, else the base one)."""
        own = self.indexes.get(language) if language else None
        return own if own is not None else self.index

    def history_encoder(self, language: str | None = None) -> Encoder:
        index = self.history_index(language)
        return index.encoder if index is not None else self.ranker.encoder

    def cuts(self, language: str | None = None) -> tuple[float, float]:
        """(related, resolved) cuts of the index `language` searches."""
        index = self.history_index(language)
        if index is None or index is self.index:
            return self.related_min_score, self.resolved_min_score
        return related_cut(index.encoder), resolved_cut(index.encoder)

    @property
    def journey_config(self) -> JourneyConfig:
        """The stage model the context's stages come from (names, display names)."""
        return self.context.journey.config

    def warm_up(self) -> AgentAssist:
        self.ranker.warm_up()
        return self

    def close(self) -> None:
        """Stop the query encoders' worker threads, if they have one (intent/batching.py)."""
        self.ranker.close()

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
        dialogue: Sequence[DialogueTurn] = (),
        language: str | None = None,
    ) -> AssistResult:
        """`dialogue`: the earlier customer turns of `conversation_id`, oldest first.
        `language`: the language to suggest in (the conversation's; default: the text's,
        `intent.language.detect`); the bank's items of that language, filled with facts
        written the same way (English when the bank has none). `query_vector`: the turn's
        embedding text (`embedding_text`) from the ranker's English encoder.

        One encoder pass per encoder the turn needs: the suggestions and the history both
        embed the turn as the history index embeds events (PII redacted, digit runs
        masked), so an English turn costs one MiniLM pass, with or without an order
        number in it (ranking on the masked text is as good: bench/results/api.md)."""
        lang = self.ranker.language_of(language or detect(text) or DEFAULT_LANGUAGE)
        ctx = self.context.build(
            customer_id, intent, now, text, dialogue, conversation_id, language=lang
        )
        clean = self.embedding_text(text)
        vectors: dict[int, np.ndarray] = {}
        if query_vector is not None:
            vectors[id(self.ranker.encoder)] = query_vector
        own = self.ranker.encoder_for(lang)
        if id(own) not in vectors:
            vectors[id(own)] = own.encode([clean], 1)[0]
        suggestions = self.ranker.rank(
            text,
            k,
            intent,
            intent_confidence,
            ctx.stage.stage,
            ctx.facts,
            query_vector=vectors[id(own)],
            language=lang,
        )
        nba = self.rules.decide(ctx, intent, frustration)
        hv = self.history_vector(text, vectors.get(id(self.history_encoder(lang))), lang)
        related = (
            self.related(customer_id, hv, conversation_id, language=lang) if customer_id else []
        )
        related += self.resolved_cases(hv, customer_id, language=lang)
        return AssistResult(ctx, suggestions, nba, related, lang)

    def related(
        self,
        customer_id: str,
        query: np.ndarray,
        conversation_id: str | None = None,
        k: int = 5,
        min_score: float | None = None,
        language: str | None = None,
    ) -> list[Related]:
        """The customer's past events and conversations most like the turn (semantic
        search over their history), leaving out the current conversation and the bot's and
        system's own words; each with its text, date, channel, score and a reason.
        `query`: from `history_vector(..., language)`, searched in that language's index."""
        index = self.history_index(language)
        if index is None:
            return []
        floor = self.cuts(language)[0] if min_score is None else min_score
        hits = index.search_customer(customer_id, query, k=k * 4)
        if not hits:
            return []
        events = {e.id: e for e in self.store.get_events([h.event_id for h in hits])}
        out: list[Related] = []
        for h in hits:
            e = events.get(h.event_id)
            if e is None or e.type in NOT_HISTORY or h.score < floor:
                continue
            conv = e.attributes.get("conversation_id") if e.attributes else None
            if conversation_id is not None and conv == conversation_id:
                continue  # this conversation: the agent has it in front of them
            when = e.ts.strftime("%d %b %Y")
            where = f"an earlier chat ({when})" if conv else f"{e.channel} ({when})"
            told = e.attributes.get("told") if e.type in CASE_TYPES and e.attributes else None
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
                    said_to_customer=[str(x) for x in told or []],
                )
            )
            if len(out) == k:
                break
        return out

    def search(self, customer_id: str | None, text: str, k: int = 5) -> list[Related]:
        """What the assist payload's related history holds, for any text: the customer's
        own past events and conversations most like it, then other customers' resolved
        cases (searched as a turn in the text's language is). Raises CustomerNotFound for an
        unknown customer."""
        if customer_id is not None:
            self.store.get_customer(customer_id)
        lang = detect(text)
        hv = self.history_vector(text, language=lang)
        own = self.related(customer_id, hv, None, k, language=lang) if customer_id else []
        return own + self.resolved_cases(hv, customer_id, language=lang)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The texts' sentence vectors (the ranker's encoder), e.g. to cluster turns."""
        return self.ranker.encoder.encode(list(texts), 64)

    def embedding_text(self, text: str) -> str:
        """What the encoders embed of a turn: PII redacted, digit runs masked, as the
        history index embeds events."""
        return embedding_text(self.redactor.redact(text))

    def history_vector(
        self, text: str, vector: np.ndarray | None = None, language: str | None = None
    ) -> np.ndarray:
        """The turn embedded the way `language`'s history index embeds events (its
        encoder, `embedding_text`), so a query and a past event saying the same thing
        meet; `vector`: that vector when the caller has it already (from the same encoder)."""
        if vector is not None:
            return vector
        return self.history_encoder(language).encode([self.embedding_text(text)], 1)[0]

    def resolved_cases(
        self,
        query: np.ndarray,
        customer_id: str | None = None,
        k: int = 2,
        min_score: float | None = None,
        language: str | None = None,
    ) -> list[Related]:
        """Other customers' wrap-ups most like the turn: how the same problem was handled
        (what was done, promised, the disposition). Their customer id is left out."""
        index = self.history_index(language)
        if index is None:
            return []
        floor = self.cuts(language)[1] if min_score is None else min_score
        hits = [h for h in index.resolved_cases(query, k, customer_id) if h.score >= floor]
        if not hits:
            return []
        events = {e.id: e for e in self.store.get_events([h.event_id for h in hits])}
        out: list[Related] = []
        for h in hits:
            e = events.get(h.event_id)
            if e is None:
                continue
            attrs = e.attributes or {}
            code = attrs.get("disposition") or "?"
            out.append(
                Related(
                    e.id,
                    None,
                    e.channel,
                    e.type,
                    e.ts,
                    e.text,
                    round(h.score, 4),
                    f"a like case of another customer, closed {e.ts.strftime('%d %b %Y')} "
                    f"as {code} (similarity {h.score:.2f})",
                    str(attrs["conversation_id"]) if attrs.get("conversation_id") else None,
                    "resolved_case",
                )
            )
        return out
