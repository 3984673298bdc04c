"""Hybrid suggested-reply ranker: BM25 + dense similarity, conditioned on intent, stage and
the customer's facts.

Each bank item has two text fields: the reply itself and the customer messages it answered
(`questions`: for Bitext templates the message of the pair, for past agent replies the
customer turns of that conversation). Comparing the new message with past customer
messages ("similar case") is a much stronger signal than comparing it with the reply text;
the base score is a weighted sum of four features (cosine with the reply, best cosine with
a past question, and max-normalised BM25 on both fields), with weights chosen by
leave-one-company-out cross-validation on ibm_twitter_care (see bench/retrieval_replies.py).
On top of it: a bonus for items tagged with the predicted intent (times its confidence) and
with the journey stage, for personal replies whose slots all filled, and, once agents have
used suggestions, what they did with each in this intent and stage (`usage`,
retrieval/usage.py: used ones climb, passed-over ones sink, new ones get a chance).

Randomised impressions (`randomise`, `Randomiser`): on a chosen share of the lists the
shown replies are a uniformly random ordered sample of the ranking's top `pool`, and every
suggestion carries its `position` and the `propensity` with which the serving policy put
it there. Fed back with the agents' feedback, they let a replay estimate, without bias,
how a different ranking would have done (bench/suggestion_feedback.py, inverse propensity
scoring), also for replies the fixed ranking never shows first.

A learned re-ranker (`rerank`, `Reranker`): the ranking a replay of that log chose and its
guard shipped (retrieval/ranking_policy.py) re-orders the fixed ranking's top `pool`
(after the per-intent and article caps) by its own weights; it never brings in a reply
from outside it. With randomised impressions over the same pool, every reply it can
show has a logged chance of being shown, so the next replay can still judge it.

Each bank language is ranked apart (`LanguageIndex`): a turn gets the items of its
language only, with that language's encoder (English: the product's MiniLM; Chinese: the
multilingual encoder) and BM25 tokeniser (`retrieval/tokenizers.py`: bm25s for English,
jieba for Chinese). The English part is built exactly as before, so English suggestions
do not change when other languages are added.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import cast

import bm25s
import numpy as np

from intent.encoder import Encoder, encoder_name
from retrieval.responses import DEFAULT_LANGUAGE, BankItem, SlotConfig, fill, texts_of
from retrieval.tokenizers import Tokenize, tokenizer_for
from retrieval.usage import UsagePrior

FEATURES = ("reply_dense", "case_dense", "reply_bm25", "case_bm25")


@dataclass(frozen=True, slots=True)
class RankerWeights:
    reply_dense: float = 0.25  # cosine(query, reply)
    case_dense: float = 1.0  # max cosine(query, a customer message the reply answered)
    reply_bm25: float = 0.0  # BM25(query, reply) / max over candidates
    case_bm25: float = 0.1  # BM25(query, answered messages) / max over candidates
    intent: float = 0.6  # item answers the predicted intent (times its confidence)
    stage: float = 0.15  # item suits the journey stage
    personal: float = 0.35  # a personal reply whose slots all filled from the customer's facts

    def __post_init__(self) -> None:
        for k, v in asdict(self).items():
            if v < 0:
                raise ValueError(f"weight {k} must be >= 0")

    def base(self) -> np.ndarray:
        return np.array(
            [self.reply_dense, self.case_dense, self.reply_bm25, self.case_bm25], np.float32
        )


# each bank language's base weights where they differ from English's. Chinese: the
# multilingual encoder's cosines are compressed (their spread across the bank is ~0.02,
# MiniLM's several times that), so BM25 at English's 0.1 would outweigh them; with
# case_dense kept at 1 (the unit of the hand-set intent / stage / personal bonuses), the
# other three were chosen on the Chinese valid split (data/intents/zh/valid.csv) by
# bench/retrieval_replies_zh.py, which reports them on the held-out test split.
LANGUAGE_WEIGHTS: dict[str, RankerWeights] = {
    "zh": RankerWeights(reply_dense=1.0, case_dense=1.0, reply_bm25=0.0, case_bm25=0.02),
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: str  # bank item id
    kind: str  # template / reply / article
    title: str
    text: str  # filled, ready to send (never holds a raw {{slot}})
    source: str  # where the text comes from (bitext, knowledge:<id>)
    score: float  # final ranking score
    intents: list[str] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)  # what the score is made of
    language: str = DEFAULT_LANGUAGE  # the language of the text (the bank item's)
    position: int = 0  # 1-based place in the list served (0: not set)
    # the probability that the serving policy put this item at this position
    propensity: float = 1.0


@dataclass(frozen=True, slots=True)
class Reranker:
    """Re-orders the first `pool` of the fixed ranking's (capped) list of `language` by
    `weights` (the same score as the fixed ranking's, with these weights); the rest of
    the list stays behind them in its order."""

    weights: RankerWeights
    pool: int = 10
    language: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        if self.pool < 1:
            raise ValueError("a re-ranker's pool must be positive")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one item of the ranking goes: `rank` is its 0-based place in the ranking,
    `propensity` the probability of this item at this (1-based) position."""

    rank: int
    position: int
    propensity: float


class Randomiser:
    """Serves a share `rate` of the lists as a uniformly random ordered sample of the
    ranking's top `pool` (the others as ranked). Each item's propensity at its position is
    `(1 - rate) * [ranked there] + rate / pool_size`: a uniform ordered sample puts each of
    the pool's items at each position with probability 1 / pool_size. `rng` draws (seed it
    to replay)."""

    def __init__(self, rate: float, pool: int = 10, rng: random.Random | None = None) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be within [0, 1]")
        if pool < 1:
            raise ValueError("pool must be positive")
        self.rate = rate
        self.pool = pool
        self.rng = rng or random.Random()
        self._lock = threading.Lock()

    def place(self, ranked: int, k: int) -> list[Placement]:
        """The placements of a list of `k` from a ranking of `ranked` items (the pool is
        the first `min(pool, ranked)`; the list has `min(k, pool size)` items when random)."""
        size = min(self.pool, ranked)
        shown = min(k, ranked)
        if size == 0 or shown == 0:
            return []
        with self._lock:  # one generator, shared by the request threads
            random_list = self.rate > 0 and self.rng.random() < self.rate
            order = self.rng.sample(range(size), min(shown, size)) if random_list else []
        if not random_list:
            order = list(range(shown))
        uniform = self.rate / size
        return [
            Placement(r, p, (1.0 - self.rate) * (r == p - 1) + (uniform if r < size else 0.0))
            for p, r in enumerate(order, start=1)
        ]


def _max_norm(x: np.ndarray) -> np.ndarray:
    m = float(x.max()) if len(x) else 0.0
    return x / m if m > 0 else x


# an encoder, or a function that loads one (called at warm-up, once, and only when the
# bank has items in that language)
EncoderSource = Encoder | Callable[[], Encoder]


def _is_factory(source: EncoderSource) -> bool:
    """A class or a function that loads an encoder, not an encoder."""
    return isinstance(source, type) or not hasattr(source, "encode")


class LanguageIndex:
    """One language's part of the bank: its items' vectors (from that language's encoder)
    and BM25 indexes (with its tokeniser). The ranker keeps one per bank language."""

    def __init__(
        self,
        language: str,
        items: Sequence[BankItem],
        encoder: Encoder,
        tokenize: Tokenize,
        cache_dir: Path | None,
    ) -> None:
        self.language = language
        self.items = list(items)
        self.encoder = encoder
        self.tokenize = tokenize
        self.cache_dir = cache_dir
        # the English part keeps the tags its cached vectors always had
        self._tag = "" if language == DEFAULT_LANGUAGE else f"-{language}"

    def _vectors(self, texts: list[str], tag: str) -> np.ndarray:
        path = None
        if self.cache_dir is not None:
            h = hashlib.sha256(f"{encoder_name(self.encoder)}/{self.encoder.dim}".encode())
            for t in texts:
                h.update(t.encode("utf-8") + b"\0")
            path = self.cache_dir / f"{tag}{self._tag}-{h.hexdigest()[:24]}.npy"
            if path.exists():
                return np.load(path, allow_pickle=False)
        vecs = (
            self.encoder.encode(texts, 64) if texts else np.zeros((0, self.encoder.dim), np.float32)
        )
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vecs, allow_pickle=False)
        return vecs

    def build(self) -> LanguageIndex:
        reply_texts = texts_of(self.items)
        self._reply_vecs = self._vectors(reply_texts, "reply")
        questions: list[str] = []
        owner: list[int] = []
        for i, item in enumerate(self.items):
            for q in item.questions:
                questions.append(q)
                owner.append(i)
        self._q_vecs = self._vectors(questions, "case")
        self._q_owner = np.asarray(owner, dtype=np.int64)
        self._has_q = np.zeros(len(self.items), dtype=bool)
        self._has_q[self._q_owner] = True
        self._bm_reply = bm25s.BM25()
        self._bm_reply.index(self.tokenize(reply_texts), show_progress=False)
        self._bm_case = bm25s.BM25()
        self._bm_case.index(
            self.tokenize([" ".join(i.questions) or "-" for i in self.items]), show_progress=False
        )
        return self

    def features(self, q: np.ndarray, query: str, candidates: np.ndarray | None) -> np.ndarray:
        reply = self._reply_vecs @ q
        case = reply.copy()  # items without questions fall back to the reply similarity
        if len(self._q_vecs):
            sims = self._q_vecs @ q
            best = np.full(len(self.items), -np.inf, dtype=np.float32)
            np.maximum.at(best, self._q_owner, sims)
            case[self._has_q] = best[self._has_q]
        tokens = self.tokenize([query])[0]
        if tokens:
            bm_r = np.asarray(self._bm_reply.get_scores(tokens), dtype=np.float32)
            bm_c = np.asarray(self._bm_case.get_scores(tokens), dtype=np.float32)
        else:  # nothing to match ("??", "嗯"): bm25s would fail on an empty query
            bm_r = bm_c = np.zeros(len(self.items), dtype=np.float32)
        idx = np.arange(len(self.items)) if candidates is None else np.asarray(candidates)
        return np.stack(
            [reply[idx], case[idx], _max_norm(bm_r[idx]), _max_norm(bm_c[idx])], axis=1
        ).astype(np.float32)


class HybridRanker:
    """Ranks the bank items of the turn's language. `encoder` embeds the English items and
    queries (and any language without its own); `encoders` gives another language its
    own, e.g. `{"zh": MultilingualEncoder}` (or a function loading it, called at warm-up
    only when the bank has items in that language). `weights` rank English (and any
    language without its own), `language_weights` the others (default `LANGUAGE_WEIGHTS`).
    A turn in a language the bank lacks is answered from the English items."""

    def __init__(
        self,
        items: Sequence[BankItem],
        encoder: Encoder,
        weights: RankerWeights | None = None,
        slots: SlotConfig | None = None,
        cache_dir: str | Path | None = None,
        encoders: Mapping[str, EncoderSource] | None = None,
        language_weights: Mapping[str, RankerWeights] | None = None,
    ) -> None:
        if not items:
            raise ValueError("the response bank is empty")
        self.items = list(items)
        self.encoder = encoder
        self.weights = weights or RankerWeights()
        # the weights it was built with (a shipped policy may replace `weights`)
        self.fixed_weights = self.weights
        self.language_weights = dict(
            LANGUAGE_WEIGHTS if language_weights is None else language_weights
        )
        self.slots = slots or SlotConfig.load()
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.languages = sorted({i.language for i in self.items})
        self._sources: dict[str, EncoderSource] = dict(encoders or {})
        self._encoders: dict[str, Encoder] = {}
        self._parts: dict[str, LanguageIndex] = {}
        self._lock = threading.Lock()
        self._ready = False
        # what agents did with the suggestions (retrieval/usage.py); replaced whole by
        # the API's refresher, read once per rank: no lock needed
        self.usage: UsagePrior | None = None
        # randomised impressions for off-policy evaluation (None: every list as ranked)
        self.randomise: Randomiser | None = None
        # a learned re-ordering of the fixed ranking's top (None: the fixed order)
        self.rerank: Reranker | None = None

    # ------------------------------------------------------------------ set-up

    def language_of(self, language: str | None) -> str:
        """The bank language that answers a turn in `language`."""
        if language in self.languages:
            return str(language)
        return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in self.languages else self.languages[0]

    def encoder_for(self, language: str | None) -> Encoder:
        """The encoder of `language`'s items and queries (loaded on first use)."""
        lang = language or DEFAULT_LANGUAGE
        source = self._sources.get(lang)
        if source is None:
            return self.encoder
        with self._lock:
            if lang not in self._encoders:
                load = cast(Callable[[], Encoder], source)
                self._encoders[lang] = load() if _is_factory(source) else cast(Encoder, source)
        return self._encoders[lang]

    def warm_up(self) -> HybridRanker:
        """Embed and index the bank, each language with its encoder and tokeniser (loads
        nothing at import; call once at start-up)."""
        if self._ready:
            return self
        for lang in self.languages:
            items = [i for i in self.items if i.language == lang]
            self._parts[lang] = LanguageIndex(
                lang, items, self.encoder_for(lang), tokenizer_for(lang), self.cache_dir
            ).build()
        self._ready = True
        return self

    def weights_for(self, language: str | None = None) -> RankerWeights:
        """The weights a turn in `language` is ranked with (`weights` for English and any
        language without its own)."""
        return self.language_weights.get(self.language_of(language), self.weights)

    def items_of(self, language: str | None = None) -> list[BankItem]:
        """The items that answer a turn in `language` (the rows of `features`)."""
        self.warm_up()
        return self._parts[self.language_of(language)].items

    def close(self) -> None:
        """Stop the worker threads of the encoders that have one (intent/batching.py)."""
        for enc in {id(e): e for e in (self.encoder, *self._encoders.values())}.values():
            close = getattr(enc, "close", None)
            if callable(close):
                close()

    # ------------------------------------------------------------------ scoring

    def features(
        self,
        query: str,
        query_vector: np.ndarray | None = None,
        candidates: np.ndarray | None = None,
        language: str | None = None,
    ) -> np.ndarray:
        """(n_candidates, 4) matrix of FEATURES for `query` over the items of its language
        (`items_of(language)`; `candidates`: indices into those). `query_vector`: the
        query from that language's encoder (computed when None)."""
        self.warm_up()
        part = self._parts[self.language_of(language)]
        q = query_vector if query_vector is not None else part.encoder.encode([query], 1)[0]
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        return part.features(q, query, candidates)

    def base_scores(self, feats: np.ndarray, weights: RankerWeights | None = None) -> np.ndarray:
        return feats @ (weights or self.weights).base()

    def rank(
        self,
        query: str,
        k: int = 5,
        intent: str | None = None,
        intent_confidence: float = 1.0,
        stage: str | None = None,
        facts: Mapping[str, str] | None = None,
        query_vector: np.ndarray | None = None,
        per_intent: int = 2,
        max_articles: int = 2,
        language: str | None = None,
    ) -> list[Suggestion]:
        """Top-k suggestions in `language` (default English), filled with `facts`;
        unfillable items are skipped. `query_vector`: from `encoder_for(language)`. With
        `randomise` set, a share of the lists is a random sample of the top of the ranking;
        each suggestion's `position` and `propensity` say where it went and how likely."""
        if k <= 0:
            raise ValueError("k must be positive")
        lang = self.language_of(language)
        w = self.weights_for(lang)
        items = self.items_of(lang)
        feats = self.features(query, query_vector, language=lang)
        scores = self.base_scores(feats, w)
        intent_hit = np.array([intent in it.intents for it in items]) if intent else None
        stage_hit = np.array([stage in it.stages for it in items]) if stage else None
        if intent_hit is not None:
            scores = scores + w.intent * float(intent_confidence) * intent_hit
        if stage_hit is not None:
            scores = scores + w.stage * stage_hit
        order = np.argsort(-scores, kind="stable")[: max(60, 6 * k)]
        facts = facts or {}
        usage = self.usage
        learned: dict[int, float] = {}
        scored: list[tuple[float, int, str]] = []
        for i in order:
            item = items[int(i)]
            text = fill(item.text, facts, self.slots, lang)
            if text is None:
                continue
            bonus = w.personal if item.kind == "reply" else 0.0
            if usage is not None:
                learned[int(i)] = usage.bonus(item.id, intent, stage)
                bonus += learned[int(i)]
            scored.append((float(scores[i]) + bonus, int(i), text))
        scored.sort(key=lambda t: -t[0])
        rerank = self.rerank if self.rerank is not None and self.rerank.language == lang else None
        randomise = self.randomise
        limit = max(k, randomise.pool if randomise is not None else 0)
        limit = max(limit, rerank.pool if rerank is not None else 0)
        kept: list[tuple[float, int, str]] = []
        per: dict[str, int] = {}
        articles = 0
        for entry in scored:
            item = items[entry[1]]
            key = item.intents[0] if item.intents and item.kind == "template" else item.id
            if per.get(key, 0) >= per_intent or (
                item.kind == "article" and articles >= max_articles
            ):
                continue
            per[key] = per.get(key, 0) + 1
            articles += item.kind == "article"
            kept.append(entry)
            if len(kept) >= limit:
                break
        reranked: dict[int, float] = {}
        if rerank is not None:  # the learned order of the fixed ranking's top pool
            rw = rerank.weights
            top = kept[: rerank.pool]
            for _, i, _ in top:
                value = float(feats[i] @ rw.base()) + learned.get(i, 0.0)
                value += rw.personal if items[i].kind == "reply" else 0.0
                if intent_hit is not None:
                    value += rw.intent * float(intent_confidence) * float(intent_hit[i])
                if stage_hit is not None:
                    value += rw.stage * float(stage_hit[i])
                reranked[i] = value
            top = sorted(top, key=lambda t: -reranked[t[1]])  # stable: ties keep the fixed order
            kept = top + kept[rerank.pool :]
        out: list[Suggestion] = []
        for score, i, text in kept:
            item = items[i]
            comps = {n: round(float(v), 4) for n, v in zip(FEATURES, feats[i], strict=True)}
            if intent_hit is not None:
                comps["intent"] = float(intent_hit[i])
            if stage_hit is not None:
                comps["stage"] = float(stage_hit[i])
            if i in learned:
                comps["learned"] = round(learned[i], 4)
            if i in reranked:
                comps["reranked"] = round(reranked[i], 4)
            out.append(
                Suggestion(
                    item.id,
                    item.kind,
                    item.title,
                    text,
                    item.source,
                    round(score, 4),
                    list(item.intents),
                    comps,
                    item.language,
                )
            )
        if randomise is None:
            return [replace(s, position=p) for p, s in enumerate(out[:k], start=1)]
        return [
            replace(out[c.rank], position=c.position, propensity=round(c.propensity, 6))
            for c in randomise.place(len(out), k)
        ]
