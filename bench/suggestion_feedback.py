"""Do the suggested replies get better from what agents did? An offline replay of a
feedback log (issue #16 part 2): the log is split by time, the use rates of
retrieval/usage.py are learned from its first part, their weight is chosen on the second,
and on the last part (held out) the product's ranker with the learned rates is compared
with the fixed weights alone.

Measured on each held-out turn for which the agent used (or edited) a suggestion:
- **MRR of the used reply**: 1 / its rank in the ranker's top 10 for that turn (0 below);
- **hit@1**: it is the first suggestion;
- with a labelled log (`true_intent`), **MRR of the right reply**: the first reply that
  answers the customer's real request (a template of that intent), whatever was shown.
A learning curve shows the held-out MRR as the log grows.

Logs:
- `--log FILE.jsonl`: the export of a running service (`GET /v1/feedback/export?format=jsonl`,
  one JSON object per line: `kind`, `action` (shown / used / edited / dismissed),
  `conversation_id`, `turn_id`, `suggestion_id`, `text` (the customer turn, PII redacted),
  `predicted_intent`, `ts`; a `true_intent` field, when present, enables the last figure).
  A turn is the rows of one (conversation, turn); the order of the first "shown" rows is
  the order they were shown in.
- without `--log`, a log is simulated from real replies: the rows of Bitext's customer-
  support set (../shared/datasets/bitext, `instruction` -> `response`) whose reply is not
  one of the response bank's templates (the bank took the 40 shortest replies per intent,
  data/tools/convert_bitext_responses.py). For each: the demo intent model classifies the
  customer's message, the ranker with its fixed weights shows 5 replies, and the agent
  uses the shown template closest in meaning (MiniLM cosine >= 0.6) to the reply the
  dataset gives for that message, else none; the replies shown above it are passed over.
  The agent's choice is the only simulated part: it follows the dataset's own replies,
  which were not used to choose anything here.

    python -m bench.suggestion_feedback [--log FILE.jsonl] [--datasets-root ../shared/datasets] [--quick]

Writes bench/results/suggestion_feedback.{md,json,png}.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.ranker import HybridRanker, RankerWeights
from retrieval.usage import Impression, UsagePrior, UsageSettings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHOWN = 5  # suggestions an agent sees per turn
TOP = 10  # the ranking MRR reads
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)  # chosen on the validation part
SPLIT = (0.6, 0.2)  # learn, validation; the rest is held out
BITEXT = "Bitext_Sample_Customer_Support_Training_Dataset.csv"


@dataclass(slots=True)
class Turn:
    key: str
    text: str
    intent: str | None  # the classifier's intent when the suggestions were shown
    confidence: float = 1.0
    shown: list[str] = field(default_factory=list)
    used: str | None = None
    dismissed: set[str] = field(default_factory=set)
    true_intent: str | None = None


def impressions(turns: Sequence[Turn]) -> list[Impression]:
    return [
        Impression(sid, t.intent, None, used=sid == t.used, dismissed=sid in t.dismissed)
        for t in turns
        for sid in dict.fromkeys([*t.shown, *([t.used] if t.used else [])])
    ]


# ---------------------------------------------------------------------- logs


def read_log(path: Path) -> list[Turn]:
    turns: dict[str, Turn] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("kind") != "suggestion" or not row.get("suggestion_id"):
                continue
            key = f"{row.get('conversation_id')}:{row.get('turn_id')}"
            turn = turns.setdefault(
                key, Turn(key, row.get("text") or "", row.get("predicted_intent"))
            )
            turn.text = turn.text or row.get("text") or ""
            turn.intent = turn.intent or row.get("predicted_intent")
            turn.true_intent = turn.true_intent or row.get("true_intent")
            sid, action = row["suggestion_id"], row.get("action")
            if action == "shown" and sid not in turn.shown:
                turn.shown.append(sid)
            elif action in ("used", "edited") and turn.used is None:
                turn.used = sid
            elif action == "dismissed":
                turn.dismissed.add(sid)
    return [t for t in turns.values() if t.text]


def bitext_turns(
    csv_path: Path, ranker: HybridRanker, n: int, seed: int = 0
) -> list[tuple[str, str, str]]:
    """(message, intent, the dataset's reply) for up to `n` rows (seeded) whose reply is
    not a template of the bank and whose message is not one the bank's templates answer."""
    bank_texts = {it.text.strip() for it in ranker.items}
    bank_questions = {q.strip().lower() for it in ranker.items for q in it.questions}
    intents = {i for it in ranker.items for i in it.intents}
    rows = []
    with csv_path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text, reply, intent = r["instruction"].strip(), r["response"].strip(), r["intent"]
            if not (text and reply) or intent not in intents:
                continue
            if reply in bank_texts or text.lower() in bank_questions:
                continue
            rows.append((text, intent, reply))
    random.Random(seed).shuffle(rows)  # the log's time order
    return rows[:n]


MATCH = 0.6  # the agent uses a shown template this close to the dataset's reply


def simulate(
    turns: Sequence[tuple[str, str, str]], analyzer: Any, ranker: HybridRanker
) -> list[Turn]:
    """The log an agent following the rule of the module's docstring would write."""
    items = {it.id: it for it in ranker.items}
    vectors = ranker.encoder.encode([it.text for it in ranker.items], 64)
    row_of = {it.id: k for k, it in enumerate(ranker.items)}
    replies = ranker.encoder.encode([reply for _, _, reply in turns], 64)
    analyses = analyzer.analyze([t for t, _, _ in turns])
    out = []
    for k, ((text, truth, _), a) in enumerate(zip(turns, analyses, strict=True)):
        if k and k % 200 == 0:
            print(f"  {k} / {len(turns)} turns")
        p = a.prediction
        intent = None if p.out_of_scope else p.intent
        shown = [s.id for s in ranker.rank(text, SHOWN, intent, p.confidence, language="en")]
        templates = [sid for sid in shown if items[sid].kind == "template"]
        close = [(float(vectors[row_of[sid]] @ replies[k]), sid) for sid in templates]
        best = max(close, default=(0.0, None))
        used = best[1] if best[0] >= MATCH else None
        out.append(Turn(f"sim:{k}", text, intent, p.confidence, shown, used, set(), truth))
    return out


# ---------------------------------------------------------------------- learned weights

PAIR_FEATURES = ("reply_dense", "case_dense", "reply_bm25", "case_bm25", "intent")


def _row(components: dict[str, float], confidence: float) -> list[float]:
    return [
        *(components.get(f, 0.0) for f in PAIR_FEATURES[:-1]),
        components.get("intent", 0.0) * confidence,
    ]


def learned_weights(turns: Sequence[Turn], ranker: HybridRanker) -> RankerWeights:
    """The ranker's feature weights refit on the log: for every turn with a used reply,
    each pair (the used reply, another of the fixed ranker's top 10) is one example of a
    pairwise logistic regression without intercept (RankNet-style); the weights are
    clipped at 0 and scaled so that `case_dense` stays 1, the unit of the hand-set stage
    and personal bonuses, which are kept."""
    from sklearn.linear_model import LogisticRegression

    xs: list[list[float]] = []
    for t in turns:
        if not t.used:
            continue
        ranked = ranker.rank(t.text, TOP, t.intent, t.confidence, language="en")
        used = next((s for s in ranked if s.id == t.used), None)
        if used is None:
            continue
        a = _row(used.components, t.confidence)
        for other in ranked:
            if other.id != t.used:
                b = _row(other.components, t.confidence)
                xs.append([u - v for u, v in zip(a, b, strict=True)])
    base = ranker.weights
    if len(xs) < 20:
        return base
    x = np.array(xs + [[-v for v in row] for row in xs], dtype=np.float64)
    y = np.array([1] * len(xs) + [0] * len(xs))
    coef = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000).fit(x, y).coef_[0]
    coef = np.clip(coef, 0.0, None)
    unit = coef[1] if coef[1] > 0 else 1.0
    w = coef / unit
    return RankerWeights(
        reply_dense=float(w[0]),
        case_dense=float(w[1]) if coef[1] > 0 else base.case_dense,
        reply_bm25=float(w[2]),
        case_bm25=float(w[3]),
        intent=float(w[4]),
        stage=base.stage,
        personal=base.personal,
    )


# ---------------------------------------------------------------------- replay


def _rr(ranking: Sequence[str], wanted: str | None) -> float:
    return 1.0 / (ranking.index(wanted) + 1) if wanted in ranking else 0.0


def score(
    turns: Sequence[Turn],
    ranker: HybridRanker,
    prior: UsagePrior | None,
    weights: RankerWeights | None = None,
) -> dict[str, float]:
    items = {it.id: it for it in ranker.items}
    fixed = ranker.weights
    ranker.usage = prior
    ranker.weights = weights or fixed
    used_rr, hit1, true_rr = [], [], []
    try:
        for t in turns:
            ranking = [
                s.id for s in ranker.rank(t.text, TOP, t.intent, t.confidence, language="en")
            ]
            if t.used:
                used_rr.append(_rr(ranking, t.used))
                hit1.append(float(bool(ranking) and ranking[0] == t.used))
            if t.true_intent:
                first = next((sid for sid in ranking if t.true_intent in items[sid].intents), None)
                true_rr.append(_rr(ranking, first))
    finally:
        ranker.usage = None
        ranker.weights = fixed
    return {
        "mrr_used": round(float(np.mean(used_rr)), 4) if used_rr else float("nan"),
        "hit1_used": round(float(np.mean(hit1)), 4) if hit1 else float("nan"),
        "mrr_right": round(float(np.mean(true_rr)), 4) if true_rr else float("nan"),
        "turns_with_use": len(used_rr),
        "turns_labelled": len(true_rr),
    }


def replay(turns: Sequence[Turn], ranker: HybridRanker, progress: bool = True) -> dict[str, Any]:
    n = len(turns)
    a, b = int(n * SPLIT[0]), int(n * (SPLIT[0] + SPLIT[1]))
    learn, valid, test = turns[:a], turns[a:b], turns[b:]
    seen = impressions(learn)
    grid = {}
    for w in WEIGHTS:
        prior = UsagePrior.learn(seen, UsageSettings(weight=w)) if w else None
        grid[w] = score(valid, ranker, prior)
        if progress:
            print(f"  weight {w}: validation MRR of the used reply {grid[w]['mrr_used']}")
    best = max(WEIGHTS, key=lambda w: (np.nan_to_num(grid[w]["mrr_used"]), -w))
    fixed = score(test, ranker, None)
    learned = score(test, ranker, UsagePrior.learn(seen, UsageSettings(weight=best)))
    refit = learned_weights(learn, ranker)
    refit_valid = score(valid, ranker, None, refit)
    reweighted = score(test, ranker, None, refit)
    curve = []
    for share in (0.1, 0.25, 0.5, 1.0):
        part = impressions(learn[: max(1, int(len(learn) * share))])
        figures = score(test, ranker, UsagePrior.learn(part, UsageSettings(weight=best)))
        curve.append({"learn_turns": int(len(learn) * share), **figures})
    return {
        "turns": {"learn": len(learn), "validation": len(valid), "held_out": len(test)},
        "impressions_learned": len(seen),
        "uses_learned": sum(i.used for i in seen),
        "weight_grid": {str(w): f for w, f in grid.items()},
        "weight": best,
        "fixed": fixed,
        "learned": learned,
        "refit_weights": asdict(refit),
        "refit_validation": refit_valid,
        "fixed_validation": grid[0.0],
        "reweighted": reweighted,
        "curve": curve,
    }


# ---------------------------------------------------------------------- report


def write(result: dict[str, Any], name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r, f, l_ = result["replay"], result["replay"]["fixed"], result["replay"]["learned"]
    lines = [
        "# Suggested replies that learn from agents: an offline replay",
        "",
        f"Generated {result['generated']} by `{result['command']}` in {result['seconds']} s.",
        f"Log: {result['log']}. Turns: {r['turns']['learn']} to learn from "
        f"({r['impressions_learned']} impressions, {r['uses_learned']} uses), "
        f"{r['turns']['validation']} to choose the weight ({r['weight']}), "
        f"{r['turns']['held_out']} held out (in the log's time order).",
        "",
        "| ranker, on the held-out turns | MRR of the used reply | hit@1 | MRR of the right reply |",
        "|---|---|---|---|",
        f"| fixed weights (today's ranker) | {f['mrr_used']} | {f['hit1_used']} | {f['mrr_right']} |",
        f"| fixed weights + use rates learned from the log | {l_['mrr_used']} | "
        f"{l_['hit1_used']} | {l_['mrr_right']} |",
        *(
            [
                f"| feature weights refit on the log (pairwise logistic regression) | "
                f"{rw['mrr_used']} | {rw['hit1_used']} | {rw['mrr_right']} |"
            ]
            if (rw := r.get("reweighted"))
            else []
        ),
        "",
        *(
            [
                "Refit weights: "
                + ", ".join(f"{k} {v:.3g}" for k, v in r["refit_weights"].items())
                + f" (validation MRR {r['refit_validation']['mrr_used']} against "
                f"{r['fixed_validation']['mrr_used']} for the fixed ones).",
                "",
            ]
            if r.get("refit_weights") and r.get("fixed_validation")
            else []
        ),
        f"{f['turns_with_use']} held-out turns with a used reply; {f['turns_labelled']} with "
        "the customer's real request known. The right reply: the first suggestion that "
        "answers it, whatever was shown.",
        "",
        "Learning curve (held-out MRR of the used reply as the log grows):",
        "",
        "| turns learned from | MRR of the used reply | MRR of the right reply |",
        "|---|---|---|",
        *[f"| {c['learn_turns']} | {c['mrr_used']} | {c['mrr_right']} |" for c in r["curve"]],
        "",
        "Weight chosen on the validation turns (MRR of the used reply): "
        + ", ".join(f"{w}: {g['mrr_used']}" for w, g in r["weight_grid"].items())
        + ".",
        "",
        f"![learning curve]({name}.png)",
        "",
    ]
    (RESULTS / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    _plot(result, RESULTS / f"{name}.png")
    return RESULTS / f"{name}.md"


def _plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = result["replay"]
    xs = [0] + [c["learn_turns"] for c in r["curve"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("mrr_used", "the used reply"), ("mrr_right", "the right reply")):
        ys = [r["fixed"][key]] + [c[key] for c in r["curve"]]
        if not all(np.isnan(y) for y in ys):
            ax.plot(xs, ys, marker="o", label=f"MRR of {label}")
            ax.axhline(r["fixed"][key], linestyle=":", linewidth=1, color="grey")
    ax.set_xlabel("turns of feedback learned from (0: the fixed weights)")
    ax.set_ylabel("held-out MRR (top 10)")
    ax.set_title("Suggested replies learning from agents' use")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--log", type=Path, help="a feedback export (JSONL); default: simulate")
    ap.add_argument("--model", type=Path, default=ROOT / "var/models/intent")
    ap.add_argument("--datasets-root", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--turns", type=int, default=3000, help="simulated turns")
    ap.add_argument("--quick", action="store_true", help="300 simulated turns")
    ap.add_argument("--name", default="suggestion_feedback")
    a = ap.parse_args(argv)
    started = time.perf_counter()
    from api.config import Settings
    from api.inference import runtime
    from intent.runtime import load_encoder
    from retrieval.responses import load_bank

    settings = Settings()
    print("loading the ranker (the product's bank and encoder) ...")
    ranker = HybridRanker(
        load_bank(languages={}),
        load_encoder(runtime(settings)),
        cache_dir=settings.response_cache_dir,
    ).warm_up()
    if a.log:
        turns, source = read_log(a.log), str(a.log)
    else:
        from api.main import load_analyzer

        csv_path = a.datasets_root / "bitext" / BITEXT
        rows = bitext_turns(csv_path, ranker, 300 if a.quick else a.turns)
        print(f"simulating an agent on {len(rows)} Bitext messages and their replies ...")
        turns = simulate(rows, load_analyzer(settings, a.model), ranker)
        source = f"simulated from {len(rows)} rows of {BITEXT} (an agent who uses the shown template closest to the dataset's reply)"
    result: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.suggestion_feedback"
        + (f" --log {a.log}" if a.log else "")
        + (" --quick" if a.quick else ""),
        "log": source,
        "replay": replay(turns, ranker),
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(write(result, a.name + ("_quick" if a.quick else "")).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
