"""Chinese suggested-reply ranking on held-out Chinese turns.

    python -m bench.retrieval --only replies_zh     # this section alone (make bench-retrieval ONLY=replies_zh)

Queries: the turns of `data/intents/zh/test.csv` (the Chinese classifier's held-out test
part; `data/intents/realistic_test_zh.csv` is kept for the classifier's evaluation only),
minus those whose intent no bank item answers (greet, goodbye, affirm, deny,
out_of_scope). Candidates: every Chinese item of the response bank (`data/responses/zh/`,
templates, articles and playbook replies). Relevant: an item tagged with the turn's
intent. Reported, as for the English ranking (bench/retrieval_replies.py): recall@1,
recall@5 (a relevant item in the top 1 / 5) and MRR of the first relevant item.

Systems: BM25 alone with jieba tokens (on the reply text, then on the customer messages
each item answers: its `questions`), BM25 with bm25s' own tokeniser (what English uses:
it cannot split Chinese), dense alone (multilingual-e5-small cosine with the reply, then
the best cosine with its questions), dense with the English MiniLM (244 Han characters in
its vocabulary), the product's `HybridRanker` features with English's weights, with the
Chinese weights (`retrieval.ranker.LANGUAGE_WEIGHTS["zh"]`: case_dense kept at 1, the
other three chosen here on `data/intents/zh/valid.csv`, a split the test never sees), and
the product as served: the Chinese weights + the Chinese classifier's predicted intent x
its confidence (var/models/intent/zh, when built), as the API ranks a Chinese turn.

No bank question is a test turn (checked: `overlap` counts normalised equal texts).
"""

from __future__ import annotations

import csv
import re
import statistics
import time
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from bench.retrieval_replies import evaluate
from intent.encoder import Encoder
from retrieval.ranker import LANGUAGE_WEIGHTS, HybridRanker, RankerWeights
from retrieval.responses import BankItem, SlotConfig, load_bank, texts_of
from retrieval.tokenizers import tokenizer_for

TEST = Path("data/intents/zh/test.csv")
VALID = Path("data/intents/zh/valid.csv")  # chooses the Chinese weights; never scored
ZH_MODEL = Path("var/models/intent/zh")
_PUNCT = re.compile(r"[\s，。！？、,.!?~～…]+")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text).lower()


def load_turns(path: Path, intents: set[str]) -> tuple[list[str], list[str], int]:
    """(texts, labels) of the test turns whose intent the bank answers, and how many left out."""
    with path.open(encoding="utf-8") as f:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(f)]
    kept = [(t, lab) for t, lab in rows if lab in intents]
    return [t for t, _ in kept], [lab for _, lab in kept], len(rows) - len(kept)


def first_relevant(scores: np.ndarray, relevant: np.ndarray) -> int:
    order = np.argsort(-scores, kind="stable")
    return int(np.flatnonzero(relevant[order])[0])


def _bm25(docs: list[str], queries: list[str], tokenize: Any) -> np.ndarray:
    bm = bm25s.BM25()
    bm.index(tokenize(docs), show_progress=False)
    out = np.zeros((len(queries), len(docs)), dtype=np.float32)
    for i, toks in enumerate(tokenize(queries)):
        if toks:
            out[i] = bm.get_scores(list(toks))
    return out


def _bm25s_tokens(texts: list[str]) -> list[list[str]]:
    return [
        list(t)
        for t in bm25s.tokenize(texts, stopwords="en", show_progress=False, return_ids=False)
    ]


def _case_dense(items: list[BankItem], qv: np.ndarray, encoder: Encoder) -> np.ndarray:
    """Best cosine between each query and each item's questions (the ranker's case_dense)."""
    questions = [q for i in items for q in i.questions]
    owner = np.asarray([k for k, i in enumerate(items) for _ in i.questions])
    sims = qv @ encoder.encode(questions, 64).T
    out = np.full((len(qv), len(items)), -np.inf, dtype=np.float32)
    for k in range(len(items)):
        out[:, k] = sims[:, owner == k].max(axis=1)
    return out


def served_intents(
    texts: list[str], model_dir: Path | None = ZH_MODEL
) -> list[tuple[str | None, float]] | None:
    """The Chinese classifier's (intent or None when out of scope, confidence) per turn, as
    the API hands them to assist; None when the model is not built."""
    if model_dir is None or not (model_dir / "config.json").is_file():
        return None
    from intent.modeling import IntentModel

    model = IntentModel.load(model_dir)
    preds = model.predict(texts)
    return [(None if p.out_of_scope else p.intent, float(p.confidence)) for p in preds]


# case_dense stays 1; BM25 weights on the scale of the multilingual cosines' spread (~0.02)
ZH_GRID = [
    (a, 1.0, c, d)
    for a in (0, 0.25, 0.5, 0.75, 1)
    for c in (0, 0.02, 0.05, 0.1)
    for d in (0, 0.02, 0.05, 0.1)
]


def choose_weights(
    ranker: HybridRanker,
    encoder: Encoder,
    items: list[BankItem],
    intents: set[str],
    valid: Path = VALID,
) -> tuple[tuple[float, ...], float]:
    """The ZH_GRID weights of the best MRR on the Chinese valid split (and that MRR)."""
    texts, labels, _ = load_turns(valid, intents)
    relevant = np.array([[lab in i.intents for i in items] for lab in labels])
    qv = encoder.encode(texts, 64)
    feats = np.stack([ranker.features(t, qv[k], language="zh") for k, t in enumerate(texts)])

    def mrr(w: tuple[float, ...]) -> float:
        s = feats @ np.asarray(w, dtype=np.float32)
        return statistics.fmean(
            1 / (1 + first_relevant(s[k], relevant[k])) for k in range(len(texts))
        )

    best = max(ZH_GRID, key=mrr)
    return best, round(mrr(best), 4)


def run(
    encoder: Encoder,
    english_encoder: Encoder | None = None,
    test: Path = TEST,
    valid: Path = VALID,
    zh_model: Path | None = ZH_MODEL,
) -> dict[str, Any]:
    """The figures; `zh_model`: the Chinese intent model of the served row (None: no row)."""
    t0 = time.time()
    items = [i for i in load_bank(templates=None, knowledge=None) if i.language == "zh"]
    intents = {x for i in items for x in i.intents}
    texts, labels, left_out = load_turns(test, intents)
    questions = {_norm(q) for i in items for q in i.questions}
    overlap = sum(_norm(t) in questions for t in texts)
    relevant = np.array([[lab in i.intents for i in items] for lab in labels])
    ranker = HybridRanker(items, encoder, slots=SlotConfig({}, {})).warm_up()
    qv = encoder.encode(texts, 64)
    feats = np.stack(
        [ranker.features(t, qv[k], language="zh") for k, t in enumerate(texts)]
    )  # (queries, items, 4)

    def score(matrix: np.ndarray) -> dict[str, float]:
        return evaluate([first_relevant(matrix[k], relevant[k]) for k in range(len(texts))])

    replies = texts_of(items)
    cases = [" ".join(i.questions) for i in items]
    zh_tok = tokenizer_for("zh")
    out: dict[str, Any] = {
        "turns": len(texts),
        "left_out": left_out,
        "items": len(items),
        "intents": len(intents),
        "overlap": overlap,
        "bm25_reply": score(_bm25(replies, texts, zh_tok)),
        "bm25_case": score(_bm25(cases, texts, zh_tok)),
        "bm25s_tokens_case": score(_bm25(cases, texts, _bm25s_tokens)),
        "dense_reply": score(qv @ encoder.encode(replies, 64).T),
        "dense_case": score(_case_dense(items, qv, encoder)),
    }
    if english_encoder is not None:
        ev = english_encoder.encode(texts, 64)
        out["minilm_case"] = score(_case_dense(items, ev, english_encoder))
    english = RankerWeights()
    out["product_english_weights"] = score(feats @ english.base())
    shipped = LANGUAGE_WEIGHTS["zh"]
    base = feats @ shipped.base()
    out["product_shipped_weights"] = score(base)
    chosen, valid_mrr = choose_weights(ranker, encoder, items, intents, valid)
    out["valid_chosen_weights"] = list(chosen)
    out["valid_mrr"] = valid_mrr
    out["shipped_is_valid_choice"] = bool(np.allclose(shipped.base(), chosen))
    predicted = served_intents(texts, zh_model)
    if predicted is not None:
        bonus = np.array(
            [
                [shipped.intent * conf if intent in i.intents else 0.0 for i in items]
                for intent, conf in predicted
            ],
            dtype=np.float32,
        )
        out["product_served"] = score(base + bonus)
        out["classifier_accuracy"] = round(
            sum(p == lab for (p, _), lab in zip(predicted, labels, strict=True)) / len(labels), 3
        )
    names = ("reply_dense", "case_dense", "reply_bm25", "case_bm25")
    out["shipped_weights"] = dict(
        zip(names, [round(w, 3) for w in shipped.base().tolist()], strict=True)
    )
    out["english_weights"] = dict(
        zip(names, [round(w, 3) for w in english.base().tolist()], strict=True)
    )
    out["seconds"] = round(time.time() - t0)
    return out


ROWS = [
    ("bm25_reply", "BM25 alone, jieba tokens, on the reply"),
    ("bm25_case", "BM25 alone, jieba tokens, on the messages each item answered"),
    ("bm25s_tokens_case", "the same with bm25s' own tokeniser (reference: no Chinese split)"),
    ("dense_reply", "dense alone (multilingual-e5-small) on the reply"),
    ("dense_case", "dense alone (multilingual-e5-small) on the answered messages"),
    ("minilm_case", "dense, English MiniLM, on the answered messages (reference)"),
    ("product_english_weights", "product ranker with English's weights"),
    ("product_shipped_weights", "**product ranker (HybridRanker), Chinese weights, no intent**"),
    ("product_served", "**product as served: + the Chinese classifier's intent x confidence**"),
]


def render(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Chinese suggested-reply ranking (data/intents/zh/test.csv)",
        "",
        f"Run {r.get('date', '?')}; reproduce: `{r.get('command', 'python -m bench.retrieval --only replies_zh')}`.",
        f"{r['turns']} held-out Chinese turns ({r['left_out']} left out: intents no bank item answers)",
        f"ranked against the {r['items']} Chinese bank items ({r['intents']} intents); relevant = an item",
        f"tagged with the turn's intent. Test turns equal to a bank question: {r['overlap']}.",
        "",
        "| system | recall@1 | recall@5 | MRR |",
        "|---|---|---|---|",
    ]
    for key, label in ROWS:
        m = r.get(key)
        if m:
            lines.append(
                f"| {label} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr']:.3f} |"
            )
    lines += [
        "",
        "Weights (reply_dense, case_dense, reply_bm25, case_bm25): English's "
        f"{list(r['english_weights'].values())}; Chinese {list(r['shipped_weights'].values())}, "
        f"chosen on data/intents/zh/valid.csv (MRR {r['valid_mrr']} there; the grid's choice "
        f"{r['valid_chosen_weights']} {'is' if r['shipped_is_valid_choice'] else 'is NOT'} what ships).",
    ]
    if "classifier_accuracy" in r:
        lines.append(
            f"The served row uses the Chinese model of var/models/intent/zh (accuracy {r['classifier_accuracy']:.3f} on these turns)."
        )
    lines.append("")
    return lines
