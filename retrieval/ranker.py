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
with the journey stage, and for personal replies whose slots all filled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from intent.encoder import Encoder, encoder_name
from retrieval.responses import BankItem, SlotConfig, fill, texts_of

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


def _tok(texts: Sequence[str]) -> list[list[str]]:
    return bm25s.tokenize(list(texts), stopwords="en", show_progress=False, return_ids=False)


def _max_norm(x: np.ndarray) -> np.ndarray:
    m = float(x.max()) if len(x) else 0.0
    return x / m if m > 0 else x


class HybridRanker:
    def __init__(
        self,
        items: Sequence[BankItem],
        encoder: Encoder,
        weights: RankerWeights | None = None,
        slots: SlotConfig | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        if not items:
            raise ValueError("the response bank is empty")
        self.items = list(items)
        self.encoder = encoder
        self.weights = weights or RankerWeights()
        self.slots = slots or SlotConfig.load()
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._ready = False

    # ------------------------------------------------------------------ set-up

    def _vectors(self, texts: list[str], tag: str) -> np.ndarray:
        path = None
        if self.cache_dir is not None:
            h = hashlib.sha256(f"{encoder_name(self.encoder)}/{self.encoder.dim}".encode())
            for t in texts:
                h.update(t.encode("utf-8") + b"\0")
            path = self.cache_dir / f"{tag}-{h.hexdigest()[:24]}.npy"
            if path.exists():
                return np.load(path, allow_pickle=False)
        vecs = (
            self.encoder.encode(texts, 64) if texts else np.zeros((0, self.encoder.dim), np.float32)
        )
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vecs, allow_pickle=False)
        return vecs

    def warm_up(self) -> HybridRanker:
        """Embed and index the bank (loads nothing at import; call once at start-up)."""
        if self._ready:
            return self
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
        self._bm_reply.index(_tok(reply_texts), show_progress=False)
        self._bm_case = bm25s.BM25()
        self._bm_case.index(
            _tok([" ".join(i.questions) or "-" for i in self.items]), show_progress=False
        )
        self._ready = True
        return self

    # ------------------------------------------------------------------ scoring

    def features(
        self,
        query: str,
        query_vector: np.ndarray | None = None,
        candidates: np.ndarray | None = None,
    ) -> np.ndarray:
        """(n_candidates, 4) matrix of FEATURES for `query` (all items when no candidates)."""
        self.warm_up()
        q = query_vector if query_vector is not None else self.encoder.encode([query], 1)[0]
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        reply = self._reply_vecs @ q
        case = reply.copy()  # items without questions fall back to the reply similarity
        if len(self._q_vecs):
            sims = self._q_vecs @ q
            best = np.full(len(self.items), -np.inf, dtype=np.float32)
            np.maximum.at(best, self._q_owner, sims)
            case[self._has_q] = best[self._has_q]
        tokens = _tok([query])[0]
        bm_r = np.asarray(self._bm_reply.get_scores(tokens), dtype=np.float32)
        bm_c = np.asarray(self._bm_case.get_scores(tokens), dtype=np.float32)
        idx = np.arange(len(self.items)) if candidates is None else np.asarray(candidates)
        return np.stack(
            [reply[idx], case[idx], _max_norm(bm_r[idx]), _max_norm(bm_c[idx])], axis=1
        ).astype(np.float32)

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
    ) -> list[Suggestion]:
        """Top-k suggestions, filled with `facts`; unfillable items are skipped."""
        if k <= 0:
            raise ValueError("k must be positive")
        w = self.weights
        feats = self.features(query, query_vector)
        scores = self.base_scores(feats)
        intent_hit = np.array([intent in it.intents for it in self.items]) if intent else None
        stage_hit = np.array([stage in it.stages for it in self.items]) if stage else None
        if intent_hit is not None:
            scores = scores + w.intent * float(intent_confidence) * intent_hit
        if stage_hit is not None:
            scores = scores + w.stage * stage_hit
        order = np.argsort(-scores, kind="stable")[: max(60, 6 * k)]
        facts = facts or {}
        scored: list[tuple[float, int, str]] = []
        for i in order:
            item = self.items[int(i)]
            text = fill(item.text, facts, self.slots)
            if text is None:
                continue
            bonus = w.personal if item.kind == "reply" else 0.0
            scored.append((float(scores[i]) + bonus, int(i), text))
        scored.sort(key=lambda t: -t[0])
        out: list[Suggestion] = []
        per: dict[str, int] = {}
        articles = 0
        for score, i, text in scored:
            item = self.items[i]
            key = item.intents[0] if item.intents and item.kind == "template" else item.id
            if per.get(key, 0) >= per_intent or (
                item.kind == "article" and articles >= max_articles
            ):
                continue
            per[key] = per.get(key, 0) + 1
            articles += item.kind == "article"
            comps = {n: round(float(v), 4) for n, v in zip(FEATURES, feats[i], strict=True)}
            if intent_hit is not None:
                comps["intent"] = float(intent_hit[i])
            if stage_hit is not None:
                comps["stage"] = float(stage_hit[i])
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
                )
            )
            if len(out) >= k:
                break
        return out
