"""Suggested-reply ranking on ibm_twitter_care/dev.json, with the protocol of
docs/benchmarks.md: the query is a dialogue's customer turns (URLs and @handles removed);
the candidates are the agent replies (`agentURL.url_utterance`, URLs and @handles removed)
of all OTHER dialogues of the same company; relevant = same `doc_id`; dialogues with no
relevant candidate are skipped (336 of 525 remain).

Systems: BM25 alone (bm25s, one index per company, the query's own dialogue left out of
the candidates), dense alone (all-MiniLM-L6-v2 cosine), and the product's `HybridRanker`.
The ranker's bank is built from the same dialogues: each candidate reply keeps the customer
turns it answered as its `questions` (like a Bitext template keeps its message). Its four
feature weights are chosen by leave-one-company-out cross-validation: for each company, the
weights that maximise MRR on the OTHER companies are applied to it; the figures are the
pooled held-out results.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from intent.encoder import Encoder
from retrieval.ranker import HybridRanker, RankerWeights
from retrieval.responses import BankItem, SlotConfig

_URL = re.compile(r"https?://\S+")
_HANDLE = re.compile(r"@\w+")
GRID = [
    (a, b, c, d)
    for a in (0, 0.25, 0.5, 0.75, 1)
    for b in (0, 0.25, 0.5, 0.75, 1)
    for c in (0, 0.1, 0.2, 0.3)
    for d in (0, 0.1, 0.2, 0.3)
    if a + b > 0
]


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", _HANDLE.sub(" ", _URL.sub(" ", text))).strip()


def load(path: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    d = json.loads(path.read_text(encoding="utf-8"))
    queries = [
        " ".join(clean(t["message"]) for t in x["dialogContent"] if "client" in t) for x in d
    ]
    replies = [clean(x["agentURL"]["url_utterance"]) for x in d]
    docs = [x["agentURL"]["doc_id"] for x in d]
    companies = [x["dialogHeader"]["company"] for x in d]
    return queries, replies, docs, companies


def evaluate(ranks: list[int]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall@1": round(sum(r < 1 for r in ranks) / n, 3),
        "recall@5": round(sum(r < 5 for r in ranks) / n, 3),
        "mrr": round(sum(1 / (r + 1) for r in ranks) / n, 3),
        "n": n,
    }


def first_relevant(scores: np.ndarray, cands: list[int], docs: list[str], doc: str) -> int:
    order = np.argsort(-scores, kind="stable")
    return next(k for k, j in enumerate(order) if docs[cands[j]] == doc)


def run(dataset: Path, encoder: Encoder) -> dict[str, Any]:
    queries, replies, docs, companies = load(dataset)
    n = len(queries)
    evals = []
    for i in range(n):
        cands = [j for j in range(n) if j != i and companies[j] == companies[i]]
        if any(docs[j] == docs[i] for j in cands):
            evals.append((i, cands))
    qv = encoder.encode(queries, 64)
    cv = encoder.encode(replies, 64)
    # dense alone
    dense = [first_relevant(cv[c] @ qv[i], c, docs, docs[i]) for i, c in evals]
    # BM25 alone: one index per company
    bm_ranks = []
    per_company: dict[str, tuple[list[int], bm25s.BM25]] = {}
    for co in sorted(set(companies)):
        members = [j for j in range(n) if companies[j] == co]
        bm = bm25s.BM25()
        bm.index(
            bm25s.tokenize([replies[j] for j in members], stopwords="en", show_progress=False),
            show_progress=False,
        )
        per_company[co] = (members, bm)
    for i, c in evals:
        members, bm = per_company[companies[i]]
        tokens = bm25s.tokenize(
            [queries[i]], stopwords="en", show_progress=False, return_ids=False
        )[0]
        s = np.asarray(bm.get_scores(tokens))
        pos = {j: k for k, j in enumerate(members)}
        bm_ranks.append(first_relevant(s[[pos[j] for j in c]], c, docs, docs[i]))
    # product ranker
    bank = [BankItem(f"twc:{j}", "template", replies[j], questions=(queries[j],)) for j in range(n)]
    slots = SlotConfig({}, {})

    class _Fixed:  # hands the already computed vectors to the ranker's warm-up
        dim = encoder.dim

        def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
            table = {replies[j]: cv[j] for j in range(n)} | {queries[j]: qv[j] for j in range(n)}
            return (
                np.stack([table[t] for t in texts])
                if texts
                else np.zeros((0, self.dim), np.float32)
            )

    ranker = HybridRanker(bank, _Fixed(), slots=slots).warm_up()
    feats = {i: ranker.features(queries[i], qv[i], np.asarray(c)) for i, c in evals}

    def ranks_for(w: tuple[float, ...], subset: list[tuple[int, list[int]]]) -> list[int]:
        wv = np.asarray(w, dtype=np.float32)
        return [first_relevant(feats[i] @ wv, c, docs, docs[i]) for i, c in subset]

    def mrr(w: tuple[float, ...], subset: list[tuple[int, list[int]]]) -> float:
        return statistics.fmean(1 / (r + 1) for r in ranks_for(w, subset))

    def loco(grid: list[tuple[float, ...]]) -> tuple[list[int], Counter[tuple[float, ...]]]:
        held: list[int] = []
        chosen: Counter[tuple[float, ...]] = Counter()
        for co in sorted({companies[i] for i, _ in evals}):
            train = [e for e in evals if companies[e[0]] != co]
            test = [e for e in evals if companies[e[0]] == co]
            best = max(grid, key=lambda w: mrr(w, train))
            chosen[best] += 1
            held += ranks_for(best, test)
        return held, chosen

    product, chosen = loco(GRID)
    reply_only, _ = loco([w for w in GRID if w[1] == 0 and w[3] == 0])
    default = RankerWeights()
    shipped = ranks_for(tuple(default.base().tolist()), evals)
    naive = []
    for i, c in evals:  # 50/50 z-score fusion of dense and BM25 on the reply (benchmarks.md)
        f = feats[i]
        z = [(f[:, k] - f[:, k].mean()) / (f[:, k].std() or 1) for k in (0, 2)]
        naive.append(first_relevant(0.5 * z[0] + 0.5 * z[1], c, docs, docs[i]))
    return {
        "dialogues": n,
        "evaluated": len(evals),
        "bm25": evaluate(bm_ranks),
        "dense": evaluate(dense),
        "naive_zscore_fusion": evaluate(naive),
        "product_loco_cv": evaluate(product),
        "product_reply_only_loco_cv": evaluate(reply_only),
        "product_shipped_weights": evaluate(shipped),
        "shipped_weights": dict(
            zip(
                ("reply_dense", "case_dense", "reply_bm25", "case_bm25"),
                default.base().tolist(),
                strict=True,
            )
        ),
        "cv_chosen_weights": [[list(w), k] for w, k in chosen.most_common(5)],
        "grid_size": len(GRID),
    }


if __name__ == "__main__":  # pragma: no cover
    import sys

    from intent.encoder import SentenceEncoder

    print(json.dumps(run(Path(sys.argv[1]), SentenceEncoder()), indent=1))
