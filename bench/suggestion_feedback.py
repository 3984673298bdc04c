"""Do the suggested replies get better from what agents did? An offline replay of a
feedback log (issue #16 part 2): the log is split by time; two learned rankings are
fitted on its first part (60 %), their settings are chosen on the second (20 %,
validation) and the last part (20 %) is held out, where they are compared with the
fixed weights:
- **use rates** (retrieval/usage.py) added to the fixed weights, their weight chosen on
  the validation part;
- **refit feature weights**: the ranker's five feature weights refit by a pairwise
  logistic regression on the preferences the log shows (click model and pull towards
  the fixed weights chosen on the validation part; see `preference_pairs`, `fit_weights`);
- **the refit as a re-ranker** (`retrieval.ranker.Reranker`): the same fits re-ordering
  only the fixed ranking's top `--random-pool` (the service's randomised pool), its own
  settings chosen on the validation part; every reply it can show is in the pool the
  randomised lists draw from, so the off-policy estimate can credit all of it.
A guard ships a learned ranking only when it beats the fixed weights on the validation
part; the report says which one it ships. On a log with randomised impressions (below) it
goes by an unbiased off-policy estimate instead, and ships only a ranking whose estimated
gain is above 0 with 95 % confidence.

Why not simply "MRR of the used reply": the agent could only use one of the 5 replies the
*fixed* ranker showed, so any other ranking is scored against the fixed ranker's own
choices: a reply it moves up that would have served the agent as well, or better, counts
as a miss (selection bias; the fixed ranker's first reply is never such a miss). The
replay therefore reports, on each held-out turn:
- **MRR of the ideal reply** (simulated log, the main figure): 1 / the rank in the top 10
  of the template of the whole bank closest to the reply the dataset gives (MiniLM
  cosine, >= 0.6), i.e. the reply the agent would ideally use, whatever was shown; hit@1;
- **MRR of the first usable reply** / **usable in the top 5** (simulated): the first
  template the simulated agent would accept (cosine >= 0.6 to the dataset's reply) and
  whether one is among the 5 shown, i.e. the agent's rule replayed on this ranking;
- **MRR of the used reply among the shown ones**: the ranking re-orders only the replies
  that were shown (and the used one); replies never shown, about which the log says
  nothing, cannot push the used one down. This is the only figure a real log allows
  without a model of the agent (in a real log the agent's habit of reading from the top
  still favours the order shown, and it cannot see a ranking bring in unshown replies);
- **MRR of the used reply in the top 10** and hit@1: the earlier figure, biased towards
  the fixed ranker as above;
- with a labelled log (`true_intent`), **MRR of the right reply**: the first reply that
  answers the customer's real request (a template of that intent), whatever was shown;
- with randomised impressions (`HybridRanker.randomise`: a share of the lists is a random
  ordered sample of the ranking's top `pool`, each reply logged with its position and the
  propensity the serving policy put it there with), the **IPS estimate** (`ips`, item-
  position inverse propensity scoring, Li, Kim, Zitouni, KDD 2018) of each ranking's
  expected reciprocal rank of the used reply in the 5 it would serve: unbiased if the
  agent's use of a reply depends only on the reply and its position, and it credits
  replies the fixed ranking never shows first. On a simulated log it stands beside the
  truth, **MRR of the simulated agent's reply in the top 5** (its rule replayed on the
  ranking's own 5), with a learning curve of its gain's interval on the held-out turns.
Settings and the guard go by the IPS estimate when the validation part has randomised
impressions (some propensity below 1; the guard, `ips_guard`: of the candidates whose
gain over the fixed weights has a paired bootstrap interval above 0, 95 % for them
together, the largest gain; a re-ranker of the pool by the self-normalised estimate,
which its full support makes consistent and which is far less noisy, the others by the
plain one, which can only underestimate replies outside the pool); else by the main figure
when the log has it (simulated), else by the used reply among the shown (a real log). For a
simulated log the report also says what the used reply among the shown alone would have
chosen and shipped (and, with IPS, what the ideal reply would have), and how that does on
the held-out part. Learning curves show the held-out figures as the log grows.

Logs:
- `--log FILE.jsonl`: the export of a running service (`GET /v1/feedback/export?format=jsonl`,
  one JSON object per line: `kind`, `action` (shown / used / edited / dismissed),
  `conversation_id`, `turn_id`, `suggestion_id`, `text` (the customer turn, PII redacted),
  `predicted_intent`, `ts`; a `true_intent` field, when present, enables the right reply's
  figure; on kind "suggestion" rows, `position` (1-based, in the list served) and
  `propensity` (the probability the serving policy put that reply there), as the
  suggestion carried them; a "used" / "edited" row carries those of the list the agent
  used it from). A turn is the rows of one (conversation, turn); the order of the first
  "shown" rows is the order they were shown in. The used reply's placement is its used /
  edited row's, else its shown row's; a turn whose rows have no position / propensity
  (older exports: absent or null) is left out of the IPS estimate, and a use without a
  placement (a reply found by search) counts as no use from the list. The simulated
  figures (ideal, usable, the agent's reply) are n/a.
- without `--log`, a log is simulated from real replies: the rows of Bitext's customer-
  support set (../shared/datasets/bitext, `instruction` -> `response`) whose reply is not
  one of the response bank's templates (the bank took the 40 shortest replies per intent,
  data/tools/convert_bitext_responses.py). For each: the demo intent model classifies the
  customer's message, the ranker with its fixed weights shows 5 replies, and the agent
  uses the shown template closest in meaning (MiniLM cosine >= 0.6) to the reply the
  dataset gives for that message, else none; the replies shown above it are passed over.
  The agent's choice is the only simulated part: it follows the dataset's own replies,
  which no learner sees (they only choose the settings, through the ideal reply, on the
  validation part). This agent reads all 5 replies (no position bias), which a real one
  need not do. The lists are served as the service serves them with
  `Randomiser(--random-rate, --random-pool)` (default 0.1 of the lists a random sample of
  the top 10; seeded), so the turns carry positions and propensities; at rate 0 the log is
  the one the ranking alone serves (every propensity 1: no IPS guard).

    python -m bench.suggestion_feedback [--log FILE.jsonl] [--datasets-root ../shared/datasets] [--quick]
        [--random-rate 0.1] [--random-pool 10] [--policy FILE]

Writes bench/results/suggestion_feedback.{md,json,png} (`--quick`: suggestion_feedback_quick.*);
`--policy FILE`: what the guard shipped, as the file the service serves with
`AGENT_ASSIST_SUGGESTION_POLICY=FILE` (retrieval/ranking_policy.py; `fixed` when the
guard kept the fixed weights).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.ranker import HybridRanker, Randomiser, RankerWeights, Reranker
from retrieval.ranking_policy import RankingPolicy
from retrieval.responses import fill
from retrieval.usage import Impression, UsagePrior, UsageSettings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHOWN = 5  # suggestions an agent sees per turn
TOP = 10  # the ranking MRR reads
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)  # use rates' weight, chosen on the validation part
PAIR_MODES = ("skip_above", "shown", "top10")  # click models (preference_pairs), chosen
# on the validation part
PULLS = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1)  # the refit's pull to the fixed weights, likewise
MIN_PAIRS = 20  # fewer preferences than this: no refit
LOG_SELECT = "mrr_used_shown"  # the figure a real log allows (see the docstring)
SPLIT = (0.6, 0.2)  # learn, validation; the rest is held out
BITEXT = "Bitext_Sample_Customer_Support_Training_Dataset.csv"
RANDOM_RATE = 0.1  # simulated log: share of the lists served at random (`Randomiser`)
RANDOM_POOL = 10  # ... from the ranking's top this many
SEED = 0  # the randomiser's
LANGUAGE = "en"


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
    # simulated logs only: the templates the agent would accept (cosine to the dataset's
    # reply >= MATCH), with that cosine, and the closest of the whole bank
    usable: dict[str, float] = field(default_factory=dict)
    ideal: str | None = None
    # logs with randomised impressions: each shown reply's (position, propensity) and the
    # used reply's (from its used / edited row, else its shown row); absent: none logged
    placed: dict[str, tuple[int, float]] = field(default_factory=dict)
    used_at: tuple[int, float] | None = None

    @property
    def has_propensities(self) -> bool:
        """Whether the log carried where its replies were served and how likely (logs
        before randomised impressions do not: the off-policy estimate leaves them out)."""
        return bool(self.placed) or self.used_at is not None


def impressions(turns: Sequence[Turn]) -> list[Impression]:
    return [
        Impression(sid, t.intent, None, used=sid == t.used, dismissed=sid in t.dismissed)
        for t in turns
        for sid in dict.fromkeys([*t.shown, *([t.used] if t.used else [])])
    ]


# ---------------------------------------------------------------------- logs


def _placement(row: dict[str, Any]) -> tuple[int, float] | None:
    """A row's (position, propensity), or None where either is absent or null (older
    exports, or a suggestion the agent found by search rather than in the list)."""
    position, propensity = row.get("position"), row.get("propensity")
    if position is None or propensity is None:
        return None
    return int(position), float(propensity)


def read_log(path: Path) -> list[Turn]:
    """The turns of a feedback export (see the module's docstring), in the log's order."""
    turns: dict[str, Turn] = {}
    used_rows: dict[str, tuple[int, float] | None] = {}
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
            at = _placement(row)
            if action == "shown" and sid not in turn.shown:
                turn.shown.append(sid)
                if at is not None:
                    turn.placed[sid] = at
            elif action in ("used", "edited") and turn.used is None:
                turn.used = sid
                used_rows[key] = at
            elif action == "dismissed":
                turn.dismissed.add(sid)
    for key, turn in turns.items():  # the used row's own placement, else its shown row's
        if turn.used is not None:
            turn.used_at = used_rows.get(key) or turn.placed.get(turn.used)
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
    turns: Sequence[tuple[str, str, str]],
    analyzer: Any,
    ranker: HybridRanker,
    randomiser: Randomiser | None = None,
) -> list[Turn]:
    """The log an agent following the rule of the module's docstring would write, with
    each turn's usable templates and ideal one (any template of the bank the ranker can
    show, i.e. whose slots fill without the customer's facts, as the replay ranks). The
    lists are served with `randomiser` (as `HybridRanker.randomise`; None: as ranked),
    and each turn logs its replies' positions and propensities as the service would; a
    randomiser at rate 0 serves, and the agent uses, exactly what the ranking alone does."""
    items = {it.id: it for it in ranker.items}
    vectors = ranker.encoder.encode([it.text for it in ranker.items], 64)
    row_of = {it.id: k for k, it in enumerate(ranker.items)}
    showable = np.array(
        [
            it.kind == "template" and fill(it.text, {}, ranker.slots, LANGUAGE) is not None
            for it in ranker.items
        ]
    )
    replies = ranker.encoder.encode([reply for _, _, reply in turns], 64)
    analyses = analyzer.analyze([t for t, _, _ in turns])
    out = []
    for k, ((text, truth, _), a) in enumerate(zip(turns, analyses, strict=True)):
        if k and k % 200 == 0:
            print(f"  {k} / {len(turns)} turns")
        p = a.prediction
        intent = None if p.out_of_scope else p.intent
        ranker.randomise = randomiser  # serving the log; nothing else is randomised
        try:
            served = ranker.rank(text, SHOWN, intent, p.confidence, language=LANGUAGE)
        finally:
            ranker.randomise = None
        shown = [s.id for s in served]
        placed = {s.id: (s.position, s.propensity) for s in served}
        templates = [sid for sid in shown if items[sid].kind == "template"]
        close = [(float(vectors[row_of[sid]] @ replies[k]), sid) for sid in templates]
        best = max(close, default=(0.0, None))
        used = best[1] if best[0] >= MATCH else None
        sims = np.where(showable, vectors @ replies[k], -np.inf)
        usable = {
            ranker.items[i].id: round(float(sims[i]), 4) for i in np.flatnonzero(sims >= MATCH)
        }
        ideal = ranker.items[int(np.argmax(sims))].id if usable else None
        out.append(
            Turn(
                f"sim:{k}",
                text,
                intent,
                p.confidence,
                shown,
                used,
                set(),
                truth,
                usable,
                ideal,
                placed,
                placed[used] if used else None,
            )
        )
    return out


# ---------------------------------------------------------------------- learned weights

PAIR_FEATURES = ("reply_dense", "case_dense", "reply_bm25", "case_bm25", "intent")
UNIT = 1  # case_dense, the unit the earlier refit (naive_weights) scaled its weights to


def preference_pairs(
    turn: Turn, mode: str = "skip_above", below: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(preferred, other) suggestion ids that what the agent did on `turn` shows:
    - `skip_above` (Joachims' click > skip above): the used reply over each shown reply
      above it, which the agent read and passed over;
    - `shown`: the used reply over every other shown one (an agent who reads all of
      them, as the simulated one does);
    - `top10`: as `shown`, and over `below` too: the items the ranker put after the shown
      ones (the rest of its top 10), which the agent never saw, assumed worse (what this
      bench's earlier refit did; for a real log only as good as the assumption, and only
      while the ranker is the one that showed them);
    any way, over any reply the agent dismissed. A used reply that was not among the
    shown ones (found by search) is preferred over all of them. A turn without a use
    says nothing."""
    if mode not in PAIR_MODES:
        raise ValueError(f"mode must be one of {PAIR_MODES}")
    if not turn.used:
        return []
    others = [s for s in turn.shown if s != turn.used]
    if mode == "skip_above" and turn.used in turn.shown:
        others = turn.shown[: turn.shown.index(turn.used)]
    elif mode == "top10":
        others += [s for s in below if s != turn.used]
    worse = dict.fromkeys([*others, *sorted(turn.dismissed - {turn.used})])
    return [(turn.used, s) for s in worse]


def feature_rows(
    ranker: HybridRanker, turn: Turn, ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """For the items `ids` on `turn`: the (n, 5) PAIR_FEATURES the ranker's score is linear
    in (the intent feature already times the classifier's confidence), and the fixed
    part of the score (n,) those weights do not cover (the personal bonus), exactly as
    `HybridRanker.rank` adds them up (no stage is logged, the replay ranks without one).
    Every id must be an item of the bank (KeyError)."""
    items = ranker.items_of(LANGUAGE)
    index = {it.id: k for k, it in enumerate(items)}
    rows = [index[i] for i in ids]
    feats = ranker.features(turn.text, language=LANGUAGE)[rows].astype(np.float64)
    hit = np.array([float(turn.intent in items[r].intents) if turn.intent else 0.0 for r in rows])
    x = np.column_stack([feats, hit * float(turn.confidence)]) if rows else np.zeros((0, 5))
    w = ranker.weights_for(LANGUAGE)
    fixed = np.array([w.personal if items[r].kind == "reply" else 0.0 for r in rows])
    return x, fixed


def pair_data(
    turns: Sequence[Turn], ranker: HybridRanker, mode: str
) -> tuple[np.ndarray, np.ndarray]:
    """(differences of PAIR_FEATURES, differences of the fixed part), preferred minus
    other, for every preference of `preference_pairs` whose two items are in the bank."""
    known = {it.id for it in ranker.items_of(LANGUAGE)}
    dx: list[np.ndarray] = []
    do: list[np.ndarray] = []
    for t in turns:
        below: list[str] = []
        if mode == "top10" and t.used:
            top = ranker.rank(t.text, TOP, t.intent, t.confidence, language=LANGUAGE)
            below = [s.id for s in top if s.id not in t.shown]
        pairs = [(a, b) for a, b in preference_pairs(t, mode, below) if a in known and b in known]
        if not pairs:
            continue
        ids = list(dict.fromkeys([pairs[0][0], *(b for _, b in pairs)]))
        x, fixed = feature_rows(ranker, t, ids)
        dx.append(x[0] - x[1:])
        do.append(fixed[0] - fixed[1:])
    if not dx:
        return np.zeros((0, len(PAIR_FEATURES))), np.zeros(0)
    return np.vstack(dx), np.concatenate(do)


def _vector(w: RankerWeights) -> np.ndarray:
    return np.array([getattr(w, f) for f in PAIR_FEATURES], dtype=np.float64)


def pair_accuracy(dx: np.ndarray, do: np.ndarray, weights: RankerWeights) -> float:
    """Share of the pairs whose preferred item `weights` score higher (ties: half)."""
    if not len(dx):
        return float("nan")
    z = dx @ _vector(weights) + do
    return float(np.mean((z > 1e-9) + 0.5 * (np.abs(z) <= 1e-9)))


def fit_weights(dx: np.ndarray, do: np.ndarray, base: RankerWeights, pull: float) -> RankerWeights:
    """The five feature weights that best explain the preferences: a pairwise logistic
    regression (RankNet-style), p(preferred over other) = sigmoid(t * (the ranker's score
    of the preferred - of the other)), the score being the weighted features `dx` plus the
    fixed bonuses `do` the weights do not cover (the personal one), as `HybridRanker.rank`
    adds them. The weights stay >= 0 (a bound of the fit: the ranker refuses others) and
    keep the fixed weights' scale (sum over features of weight * the feature's spread in
    `dx`), so the hand-set stage and personal bonuses keep their size beside them; the
    temperature t is fitted. `pull` (>= 0) is an L2 penalty on the difference from `base`,
    each feature in those units of spread: every feature is pulled alike, and a large pull
    gives `base` back. Fewer than MIN_PAIRS pairs: `base`."""
    from scipy.optimize import minimize
    from scipy.special import expit

    w0 = _vector(base)
    if len(dx) < MIN_PAIRS or not np.any(w0 > 0):
        return base
    spread = dx.std(axis=0)
    spread[spread <= 1e-12] = 1.0
    size = float(spread @ w0)

    def weights(u: np.ndarray) -> np.ndarray:
        total = float(spread @ u)
        return u * (size / total) if total > 1e-12 else w0

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        u, t = p[:-1], math.exp(p[-1])
        total = float(spread @ u)
        w = weights(u)
        z = t * (dx @ w + do)
        g = -expit(-z) / len(z)  # d mean(log(1 + exp(-z))) / dz
        dev = (w - w0) * spread / size
        grad_w = t * (dx.T @ g) + 2.0 * pull * dev * spread / size
        grad_u = (
            size / total * (grad_w - float(grad_w @ u) * spread / total)
            if total > 1e-12
            else np.zeros_like(u)
        )
        value = float(np.mean(np.logaddexp(0.0, -z)) + pull * dev @ dev)
        return value, np.append(grad_u, float(g @ z))

    spread0 = float(np.std(dx @ w0 + do))
    start = np.append(w0, -math.log(spread0) if spread0 > 1e-12 else 0.0)
    bounds = [(0.0, None)] * len(w0) + [(-10.0, 10.0)]
    fit = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-7})
    w = weights(fit.x[:-1])
    return RankerWeights(
        **{f: float(max(w[k], 0.0)) for k, f in enumerate(PAIR_FEATURES)},
        stage=base.stage,
        personal=base.personal,
    )


def naive_pairs(turns: Sequence[Turn], ranker: HybridRanker) -> tuple[np.ndarray, int]:
    """The earlier refit's examples (kept to compare with): the used reply against every
    other item of the fixed ranker's top 10 (shown or not), from the rounded `components`
    (the intent one times the confidence). Also: how many of them involve an item that
    was never shown."""
    xs: list[list[float]] = []
    unshown = 0
    for t in turns:
        if not t.used:
            continue
        ranked = ranker.rank(t.text, TOP, t.intent, t.confidence, language=LANGUAGE)
        used = next((s for s in ranked if s.id == t.used), None)
        if used is None:
            continue
        a = _row(used.components, t.confidence)
        for other in ranked:
            if other.id != t.used:
                b = _row(other.components, t.confidence)
                xs.append([u - v for u, v in zip(a, b, strict=True)])
                unshown += other.id not in t.shown
    return np.array(xs, dtype=np.float64).reshape(-1, len(PAIR_FEATURES)), unshown


def _row(components: dict[str, float], confidence: float) -> list[float]:
    return [
        *(components.get(f, 0.0) for f in PAIR_FEATURES[:-1]),
        components.get("intent", 0.0) * confidence,
    ]


def naive_weights(xs: np.ndarray, base: RankerWeights) -> RankerWeights:
    """The earlier refit (before this bench was corrected): scikit-learn's logistic
    regression without intercept on `naive_pairs`, features unscaled, C=1, weights
    clipped at 0 and divided by case_dense's."""
    from sklearn.linear_model import LogisticRegression

    if len(xs) < MIN_PAIRS:
        return base
    x = np.vstack([xs, -xs])
    y = np.array([1] * len(xs) + [0] * len(xs))
    coef = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000).fit(x, y).coef_[0]
    coef = np.clip(coef, 0.0, None)
    w = coef / (coef[UNIT] if coef[UNIT] > 0 else 1.0)
    return RankerWeights(
        reply_dense=float(w[0]),
        case_dense=float(w[1]) if coef[1] > 0 else base.case_dense,
        reply_bm25=float(w[2]),
        case_bm25=float(w[3]),
        intent=float(w[4]),
        stage=base.stage,
        personal=base.personal,
    )


# ---------------------------------------------------------------------- off-policy estimate


@dataclass(frozen=True, slots=True)
class Estimate:
    """An off-policy estimate of a deterministic ranking's value on a log: the expected
    reciprocal rank of the used reply in the list it would serve (0 without a use)."""

    value: float  # item-position IPS, the mean of `terms` (nan: no turn with propensities)
    self_normalised: float  # the same, each position's weights normalised (see `ips`)
    terms: list[float]  # one per turn with propensities, in the log's order (paired)
    excluded: int  # turns without propensities, left out
    # the self-normalised estimate's parts, per turn (rows, paired like `terms`) and
    # position (columns, 1-based k at k - 1): the used reply's 1 / mu where the target
    # puts it at its logged k, and 1 / mu of the reply served at k where the target puts
    # that one there
    num: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    den: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def head(self, m: int) -> Estimate:
        """The estimate on the first `m` of its turns."""
        terms = self.terms[:m]
        return Estimate(
            float(np.mean(terms)) if terms else float("nan"),
            sn_value(self.num[:m], self.den[:m]),
            terms,
            self.excluded,
            self.num[:m],
            self.den[:m],
        )


def sn_value(num: np.ndarray, den: np.ndarray) -> float:
    """The self-normalised item-position estimate from its parts (see `Estimate`):
    sum over positions k of sum(num[:, k]) / (k * sum(den[:, k]))."""
    if not len(num):
        return float("nan")
    n, d = num.sum(axis=0), den.sum(axis=0)
    k = np.arange(1, num.shape[1] + 1)
    ok = d > 0
    return float(np.sum(n[ok] / (k[ok] * d[ok])))


def ips_term(target: Sequence[str], used: str | None, at: tuple[int, float] | None) -> float:
    """One turn's item-position IPS term: `target` (the ranking's list, best first) puts
    the `used` reply at its logged 1-based position k, served with propensity mu: (1/k) / mu;
    else, or without a use from the list (`at` None), 0."""
    if used is None or at is None:
        return 0.0
    position, propensity = at
    if not propensity > 0.0:
        raise ValueError(f"a served reply has a propensity > 0, not {propensity}")
    hit = 1 <= position <= len(target) and target[position - 1] == used
    return 1.0 / (position * propensity) if hit else 0.0


def ips(turns: Sequence[Turn], targets: Sequence[Sequence[str]]) -> Estimate:
    """The item-position inverse-propensity estimate (Li, Kim, Zitouni, KDD 2018, "Offline
    evaluation of ranking policies with click models") of the value of the deterministic
    ranking that would serve `targets[i]` on `turns[i]`:
    V = (1/n) * sum over the n turns with propensities of `ips_term`, i.e. of
    [the target puts the used reply at its logged position k] * (1/k) / its propensity mu.
    It is unbiased when the agent's use of a reply depends only on the reply and its
    position (the item-position model: not on the other replies of the list) and every
    (reply, position) of the target could be served (mu > 0). Turns without propensities
    (older logs) are left out and counted.

    The self-normalised variant divides each position's sum by the sum of the weights
    [the reply served at k is the target's k-th] / mu over the same turns (its expectation
    is n under full support): consistent, not unbiased, less variable, and it averages
    over the turns where the target's reply could be served instead of counting the
    others as misses."""
    if len(turns) != len(targets):
        raise ValueError("one target list per turn")
    width = max((len(t) for t in targets), default=0)
    terms: list[float] = []
    num: list[np.ndarray] = []
    den: list[np.ndarray] = []
    for t, target in zip(turns, targets, strict=True):
        if not t.has_propensities:
            continue
        term = ips_term(target, t.used, t.used_at)
        terms.append(term)
        n_row, d_row = np.zeros(width), np.zeros(width)
        if term:
            k = (t.used_at or (0, 1.0))[0]
            n_row[k - 1] = term * k
        served = dict(t.placed)
        if t.used is not None and t.used_at is not None:
            served[t.used] = t.used_at
        for sid, (k, mu) in served.items():
            if 1 <= k <= len(target) and target[k - 1] == sid and mu > 0:
                d_row[k - 1] += 1.0 / mu
        num.append(n_row)
        den.append(d_row)
    value = float(np.mean(terms)) if terms else float("nan")
    nums = np.array(num).reshape(len(num), width)
    dens = np.array(den).reshape(len(den), width)
    return Estimate(value, sn_value(nums, dens), terms, len(turns) - len(terms), nums, dens)


def agent_use(ranking: Sequence[str], usable: dict[str, float]) -> str | None:
    """The reply the simulated agent uses in `ranking`'s list: the one closest to the
    dataset's reply among those within MATCH (`usable`), else none."""
    close = [(usable[sid], sid) for sid in ranking if sid in usable]
    return max(close)[1] if close else None


# ---------------------------------------------------------------------- replay


def _rr(ranking: Sequence[str], wanted: str | None) -> float:
    return 1.0 / (ranking.index(wanted) + 1) if wanted in ranking else 0.0


def _mean(xs: Sequence[float]) -> float:
    return round(float(np.mean(xs)), 4) if xs else float("nan")


@contextmanager
def configured(
    ranker: HybridRanker,
    prior: UsagePrior | None,
    weights: RankerWeights | None,
    rerank: Reranker | None = None,
) -> Iterator[HybridRanker]:
    """`ranker` with these use rates, weights (None: its fixed ones) and re-ranker,
    restored after; never randomised (a replay's rankings are deterministic)."""
    fixed = ranker.weights
    ranker.usage, ranker.weights, ranker.randomise = prior, weights or fixed, None
    ranker.rerank = rerank
    try:
        yield ranker
    finally:
        ranker.usage, ranker.weights, ranker.randomise, ranker.rerank = None, fixed, None, None


def item_scores(ranker: HybridRanker, turn: Turn, ids: Sequence[str]) -> dict[str, float]:
    """The final score `ranker.rank` gives each of `ids` on `turn` (with its current
    weights and use rates; with a re-ranker, the score it orders by), without ranking the
    whole bank: `feature_rows` times the weights, plus the fixed bonuses and the use-rate
    bonus (tests/bench check that this is `rank`'s score). Ids not in the bank are absent."""
    bank = {it.id for it in ranker.items_of(LANGUAGE)}
    known = [i for i in ids if i in bank]
    x, fixed = feature_rows(ranker, turn, known)
    w = ranker.rerank.weights if ranker.rerank is not None else ranker.weights_for(LANGUAGE)
    scores = x @ _vector(w) + fixed
    if ranker.usage is not None:
        scores += [ranker.usage.bonus(i, turn.intent, None) for i in known]
    return {i: float(v) for i, v in zip(known, scores, strict=True)}


def rerank_shown(turn: Turn, scores: dict[str, float]) -> list[str]:
    """The shown replies (and the used one) in the order `scores` put them (ties: shown order)."""
    ids = list(dict.fromkeys([*turn.shown, *([turn.used] if turn.used else [])]))
    return sorted(ids, key=lambda s: -scores.get(s, -math.inf))


def score(
    turns: Sequence[Turn],
    ranker: HybridRanker,
    prior: UsagePrior | None = None,
    weights: RankerWeights | None = None,
    detail: dict[str, Any] | None = None,
    pools: Sequence[Sequence[str]] | None = None,
    pool: int = RANDOM_POOL,
    rerank: Reranker | None = None,
) -> dict[str, float]:
    """The figures of the module's docstring for the ranker with `weights` (None: the
    fixed ones) and `prior` on `turns`; `detail`, when given, gets the per-turn
    reciprocal ranks of the ideal reply and of the used one among the shown, the IPS
    terms (turns with propensities) and the simulated agent's reciprocal rank in the
    ranking's own 5. `pools`: per turn, the logging ranking's top (at least 4 * `pool`),
    whose first `pool` the randomised lists drew from: the share of this ranking's 5 in
    it (and in pools twice and four times as wide), and the simulated agent's reciprocal
    rank counting only a reply from the pool (what IPS can credit at all)."""
    items = {it.id: it for it in ranker.items}
    used_rr, hit1, shown_rr, as_good = [], [], [], []
    ideal_rr, ideal1, usable_rr, usable5, true_rr = [], [], [], [], []
    tops: list[list[str]] = []
    agent_rr: list[float] = []
    covered: dict[int, list[float]] = {pool * m: [] for m in (1, 2, 4)}
    agent_in_pool: list[float] = []
    with configured(ranker, prior, weights, rerank):
        for i, t in enumerate(turns):
            ranking = [
                s.id for s in ranker.rank(t.text, TOP, t.intent, t.confidence, language=LANGUAGE)
            ]
            first = ranking[0] if ranking else None
            tops.append(ranking[:SHOWN])  # what this ranking would serve (no randomising)
            agent_rr.append(_rr(ranking[:SHOWN], agent_use(ranking[:SHOWN], t.usable)))
            if pools is not None and t.has_propensities:
                for size, shares in covered.items():
                    drawn = set(pools[i][:size])
                    shares.append(float(np.mean([sid in drawn for sid in ranking[:SHOWN]])))
                pick = agent_use(ranking[:SHOWN], t.usable)
                in_pool = pick in pools[i][:pool]
                agent_in_pool.append(_rr(ranking[:SHOWN], pick) if in_pool else 0.0)
            if t.used:
                used_rr.append(_rr(ranking, t.used))
                hit1.append(float(first == t.used))
                shown = list(dict.fromkeys([*t.shown, t.used]))
                shown_rr.append(_rr(rerank_shown(t, item_scores(ranker, t, shown)), t.used))
                if t.usable:  # the first reply would have served at least as well
                    good = first in t.usable and t.usable[first] >= t.usable.get(t.used, 0.0)
                    as_good.append(float(first != t.used and good))
            if t.ideal:
                ideal_rr.append(_rr(ranking, t.ideal))
                ideal1.append(float(first == t.ideal))
            if t.usable:
                ok = next((sid for sid in ranking if sid in t.usable), None)
                usable_rr.append(_rr(ranking, ok))
                usable5.append(float(any(sid in t.usable for sid in ranking[:SHOWN])))
            if t.true_intent:
                right = next((sid for sid in ranking if t.true_intent in items[sid].intents), None)
                true_rr.append(_rr(ranking, right))
    est = ips(turns, tops)
    simulated = any(t.usable for t in turns)
    if detail is not None:
        detail["ideal"], detail["used_shown"] = ideal_rr, shown_rr
        detail["ips"] = est.terms
        detail["estimate"] = est
        # the truth on the IPS's turns (simulated logs: the agent's rule replayed)
        detail["agent"] = [r for r, t in zip(agent_rr, turns, strict=True) if t.has_propensities]
    return {
        "ips": round(est.value, 4) if est.terms else float("nan"),
        "ips_self_normalised": round(est.self_normalised, 4) if est.terms else float("nan"),
        "mrr_agent": _mean(agent_rr) if simulated else float("nan"),
        "support": _mean(covered[pool]),
        "support_2x": _mean(covered[2 * pool]),
        "support_4x": _mean(covered[4 * pool]),
        "mrr_agent_in_pool": _mean(agent_in_pool) if simulated else float("nan"),
        "turns_with_propensity": len(est.terms),
        "turns_without_propensity": est.excluded,
        "mrr_ideal": _mean(ideal_rr),
        "hit1_ideal": _mean(ideal1),
        "mrr_usable": _mean(usable_rr),
        "usable_top5": _mean(usable5),
        "mrr_used_shown": _mean(shown_rr),
        "mrr_used": _mean(used_rr),
        "hit1_used": _mean(hit1),
        "used_miss_as_good": _mean(as_good),
        "mrr_right": _mean(true_rr),
        "turns_with_use": len(used_rr),
        "turns_with_ideal": len(ideal_rr),
        "turns_labelled": len(true_rr),
    }


def _key(figures: dict[str, float], select: str) -> float:
    return float(np.nan_to_num(figures[select], nan=-1.0))


def guard(fixed: dict[str, float], candidates: dict[str, dict[str, float]], select: str) -> str:
    """The ranking to ship: the candidate with the best validation figure `select` if it
    beats the fixed weights' there, else "fixed"."""
    best = max(candidates, key=lambda k: _key(candidates[k], select), default=None)
    if best is None or _key(candidates[best], select) <= _key(fixed, select):
        return "fixed"
    return best


def paired_gain(
    a: Sequence[float], b: Sequence[float], seed: int = 0, level: float = 0.95
) -> dict[str, float]:
    """mean(a - b) over paired per-turn figures, with a `level` (95 %) bootstrap interval."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    if not len(d):
        return {"gain": float("nan"), "low": float("nan"), "high": float("nan")}
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), (2000, len(d)))].mean(axis=1)
    tail = 50.0 * (1.0 - level)
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return {
        "gain": round(float(d.mean()), 4),
        "low": round(float(low), 4),
        "high": round(float(high), 4),
    }


def paired_sn_gain(
    a: Estimate, b: Estimate, seed: int = 0, level: float = 0.95
) -> dict[str, float]:
    """The self-normalised estimate of `a` minus `b`'s on the same turns, with a `level`
    (95 %) paired bootstrap interval (each resample of the turns normalises anew)."""
    n = len(a.terms)
    if not n or n != len(b.terms):
        return {"gain": float("nan"), "low": float("nan"), "high": float("nan")}
    rng = np.random.default_rng(seed)
    diffs = []
    for idx in rng.integers(0, n, (2000, n)):
        diffs.append(sn_value(a.num[idx], a.den[idx]) - sn_value(b.num[idx], b.den[idx]))
    tail = 50.0 * (1.0 - level)
    low, high = np.nanpercentile(diffs, [tail, 100.0 - tail])
    return {
        "gain": round(a.self_normalised - b.self_normalised, 4),
        "low": round(float(low), 4),
        "high": round(float(high), 4),
    }


def pair_precision(turns: Sequence[Turn], ranker: HybridRanker) -> dict[str, Any]:
    """Simulated logs: how often a pair's preferred reply really is at least as close to
    the dataset's reply as the other (the agent's own criterion), by the kind of pair:
    a shown reply above the used one, one below it, an item of the fixed top 10 never
    shown (what the earlier refit also paired with)."""
    right: dict[str, list[float]] = {"shown_above": [], "shown_below": [], "unshown": []}
    for t in turns:
        if not (t.used and t.usable):
            continue
        top = [s.id for s in ranker.rank(t.text, TOP, t.intent, t.confidence, language=LANGUAGE)]
        mine = t.usable.get(t.used, MATCH)
        for sid in top:
            if sid == t.used:
                continue
            if sid in t.shown:
                kind = (
                    "shown_above" if t.shown.index(sid) < t.shown.index(t.used) else "shown_below"
                )
            else:
                kind = "unshown"
            right[kind].append(float(mine >= t.usable.get(sid, -1.0)))
    return {k: {"pairs": len(v), "right": _mean(v)} for k, v in right.items()}


def explored(turns: Sequence[Turn]) -> bool:
    """Whether some of `turns` were served at random (a propensity below 1): a log whose
    propensities are all 1 (a service without randomised impressions) says nothing about
    a ranking that orders its replies otherwise."""
    return any(
        mu < 1.0
        for t in turns
        for _, mu in [*t.placed.values(), *([t.used_at] if t.used_at else [])]
    )


def guarded_gain(
    est: Estimate, fixed: Estimate, supported: bool, level: float = 0.95
) -> dict[str, float]:
    """A ranking's gain over the fixed weights by the estimate the guard judges it by
    (the self-normalised one where every reply it can show could have been served,
    `supported`: a re-ranker of the randomised pool; else the plain IPS), with its
    paired `level` interval."""
    if supported:
        return paired_sn_gain(est, fixed, level=level)
    return paired_gain(est.terms, fixed.terms, level=level)


def ips_guard(
    fixed: Estimate, candidates: dict[str, tuple[Estimate, bool]]
) -> tuple[str, str | None, dict[str, float] | None]:
    """The ranking to ship by the off-policy estimate, among `candidates` (name -> (its
    estimate on the turns of `fixed`'s, whether its support is full)): each one's gain
    over the fixed weights by `guarded_gain`, with a paired bootstrap interval at
    95 % for all of them together (Bonferroni: 1 - 0.05 / the number of candidates);
    the one with the largest gain among those whose interval is above 0 ships, else
    "fixed". Returns (what ships, the candidate judged: that one, else the one with the
    largest gain, its gain) (None, None without candidates).

    Why two estimators: the plain IPS counts a reply the randomised pool never held as a
    miss, so where support is partial it can only underestimate (a safe guard) but is
    very noisy (a random list's reply weighs 1 / propensity, 100 at rate 0.1 over 10).
    The self-normalised one divides by the weights the turns actually had, which cuts
    that noise but, where support is partial, averages only over the turns the ranking
    could be credited on and can overestimate: it is used only for a re-ranker of the
    pool (full support by construction)."""
    if not candidates:
        return "fixed", None, None
    level = 1.0 - 0.05 / len(candidates)
    gains = {k: guarded_gain(est, fixed, full, level) for k, (est, full) in candidates.items()}
    ahead = [k for k in gains if gains[k]["low"] > 0]
    best = max(ahead or gains, key=lambda k: np.nan_to_num(gains[k]["gain"], nan=-1.0))
    return (best if ahead else "fixed"), best, gains[best]


CURVE_STEPS = 20  # the IPS learning curve's prefixes of the held-out turns
Z95 = 1.96


def off_policy_report(
    test: Sequence[Turn],
    details: dict[str, dict[str, Any]],
    held: dict[str, Any],
    guard_gain: dict[str, float] | None,
    guarded: bool,
) -> dict[str, Any]:
    """The held-out IPS estimate of each ranking beside its truth (simulated logs: the
    agent's rule replayed on its own 5, on the same turns), the gains over the fixed
    weights with paired bootstrap intervals, and the learning curve: the gain's interval
    on growing prefixes of the held-out turns, with the number of turns after which its
    lower bound stays above 0 and, from the per-turn spread, about how many it takes
    (Z95² * variance / gain²)."""
    simulated = any(t.usable for t in test)
    fixed_terms, fixed_truth = details["fixed"]["ips"], details["fixed"]["agent"]
    fixed_est: Estimate = details["fixed"]["estimate"]
    rankings: dict[str, Any] = {}
    for k, d in details.items():
        truth = _mean(d["agent"]) if simulated else float("nan")
        rankings[k] = {
            "guard_estimator": "self-normalised" if k == "reranked" else "IPS",
            "sn_gain": None if k == "fixed" else paired_sn_gain(d["estimate"], fixed_est),
            "ips": held[k]["ips"],
            "ips_self_normalised": held[k]["ips_self_normalised"],
            "support": held[k]["support"],
            "support_2x": held[k]["support_2x"],
            "support_4x": held[k]["support_4x"],
            "truth": truth,
            "truth_in_pool": held[k]["mrr_agent_in_pool"],
            "ips_minus_truth": round(held[k]["ips"] - truth, 4) if simulated else float("nan"),
            "gain": None if k == "fixed" else paired_gain(d["ips"], fixed_terms),
            "truth_gain": (
                paired_gain(d["agent"], fixed_truth) if simulated and k != "fixed" else None
            ),
        }
    n = len(fixed_terms)
    steps = {max(2, round(n * j / CURVE_STEPS)) for j in range(1, CURVE_STEPS + 1)}
    sizes = sorted(m for m in steps if m <= n)
    curve: dict[str, list[dict[str, Any]]] = {}
    needed: dict[str, Any] = {}
    for k in ("learned", "reweighted", "reranked"):
        if k not in details:
            continue
        terms, true_rr = details[k]["ips"], details[k]["agent"]
        est: Estimate = details[k]["estimate"]
        supported = k == "reranked"  # judged as the guard judges it
        curve[k] = [
            {
                "turns": m,
                "gain": guarded_gain(est.head(m), fixed_est.head(m), supported),
                "truth_gain": (
                    paired_gain(true_rr[:m], fixed_truth[:m])["gain"] if simulated else None
                ),
            }
            for m in sizes
        ]
        above = [c["turns"] for c in curve[k] if c["gain"]["low"] > 0]
        stays = next(
            (
                c["turns"]
                for j, c in enumerate(curve[k])
                if all(x["gain"]["low"] > 0 for x in curve[k][j:])
            ),
            None,
        )
        diff = np.asarray(terms) - np.asarray(fixed_terms)
        gain = float(diff.mean()) if n else float("nan")
        var = float(diff.var(ddof=1)) if n > 1 else float("nan")
        if supported and n > 1:  # the self-normalised gain: its spread from its interval
            whole = guarded_gain(est, fixed_est, True)
            gain = whole["gain"]
            var = n * ((whole["high"] - whole["low"]) / (2 * Z95)) ** 2
        true_gain = rankings[k]["truth_gain"]["gain"] if simulated else float("nan")
        needed[k] = {
            "ips_gain": round(gain, 4) if n else float("nan"),
            "true_gain": true_gain,
            "first_above_zero": above[0] if above else None,
            "stays_above_zero": stays,
            "per_turn_sd": round(math.sqrt(var), 4) if var == var else float("nan"),
            "at_ips_gain": math.ceil(Z95**2 * var / gain**2) if gain > 0 else None,
            "at_true_gain": (
                math.ceil(Z95**2 * var / true_gain**2) if simulated and true_gain > 0 else None
            ),
        }
    return {
        "turns_with_propensity": held["fixed"]["turns_with_propensity"],
        "turns_without_propensity": held["fixed"]["turns_without_propensity"],
        "guarded": guarded,
        "guard_gain": guard_gain,
        "rankings": rankings,
        "curve": curve,
        "turns_needed": needed,
    }


def shipped_kind(ship: str) -> str:
    """The held-out key of what the guard shipped (its option's name)."""
    if ship == "fixed":
        return "fixed"
    if ship.startswith("use rates"):
        return "learned"
    return "reranked" if ship.startswith("re-ranker") else "reweighted"


def policy_of(
    shipped_as: str,
    weight: float,
    refit: RankerWeights | None,
    rerank: RankerWeights | None,
    pool: int,
) -> dict[str, Any]:
    """What the service serves of the shipped ranking (retrieval/ranking_policy.py)."""
    if shipped_as == "learned":
        return {"ship": "use_rates", "usage_weight": weight, "weights": None, "pool": pool}
    if shipped_as == "reranked" and rerank is not None:
        return {"ship": "rerank", "usage_weight": None, "weights": asdict(rerank), "pool": pool}
    if shipped_as == "reweighted" and refit is not None:
        return {"ship": "reweight", "usage_weight": None, "weights": asdict(refit), "pool": pool}
    return {"ship": "fixed", "usage_weight": None, "weights": None, "pool": pool}


def replay(
    turns: Sequence[Turn],
    ranker: HybridRanker,
    progress: bool = True,
    pool: int | None = None,
    rerank_pool: int = RANDOM_POOL,
) -> dict[str, Any]:
    """Learn on the first part of `turns`, choose on the second, measure on the rest.
    `pool`: the randomised lists' pool, when the log was served by the fixed weights
    (simulated), for the share of each ranking's 5 the randomised lists could serve.
    `rerank_pool`: the refit is also judged as a re-ranker of the fixed ranking's top
    this many (`Reranker`; the service's randomised pool, so that IPS can judge all of it)."""

    def say(msg: str) -> None:
        if progress:
            print(msg, flush=True)

    ranker.randomise = None  # nothing here serves a log: every ranking is deterministic
    n = len(turns)
    a, b = int(n * SPLIT[0]), int(n * (SPLIT[0] + SPLIT[1]))
    learn, valid, test = turns[:a], turns[a:b], turns[b:]
    base = ranker.weights
    seen = impressions(learn)
    # the figure settings are chosen by: the off-policy estimate when the log has
    # randomised impressions; else the main one when the log has it (simulated), else
    # the one a real log allows. The held-out comparison goes by the main figure.
    has_ideal = any(t.ideal for t in valid)
    randomised = explored(valid)
    select = "ips" if randomised else "mrr_ideal" if has_ideal else LOG_SELECT
    main = "mrr_ideal" if has_ideal else "ips" if randomised else LOG_SELECT

    valid_est: dict[str, Estimate] = {}

    def validate(
        name: str,
        prior: UsagePrior | None,
        w: RankerWeights | None,
        rerank: Reranker | None = None,
    ) -> dict[str, float]:
        detail: dict[str, Any] = {}
        figures = score(valid, ranker, prior, w, detail, rerank=rerank)
        valid_est[name] = detail["estimate"]
        return figures

    fixed_valid = validate("fixed", None, None)
    say(f"  validation, fixed weights: {select} {fixed_valid[select]}")
    grid = {}
    for w in WEIGHTS:  # 0: the exploration bonus alone (the service's default)
        grid[w] = validate(f"weight {w}", UsagePrior.learn(seen, UsageSettings(weight=w)), None)
        say(f"  validation, use rates at weight {w}: {select} {grid[w][select]}")

    refits: dict[str, dict[str, Any]] = {}
    pairs_by_mode = {}
    for mode in PAIR_MODES:
        dx, do = pair_data(learn, ranker, mode)
        pairs_by_mode[mode] = len(dx)
        if len(dx) < MIN_PAIRS:
            continue
        for pull in PULLS:
            fitted = fit_weights(dx, do, base, pull)
            figures = validate(f"refit {mode}/{pull}", None, fitted)
            as_rerank = validate(f"rerank {mode}/{pull}", None, None, Reranker(fitted, rerank_pool))
            refits[f"{mode}/{pull}"] = {
                "mode": mode,
                "pull": pull,
                "pairs": len(dx),
                "weights": asdict(fitted),
                "train_pair_accuracy": round(pair_accuracy(dx, do, fitted), 4),
                "fixed_train_pair_accuracy": round(pair_accuracy(dx, do, base), 4),
                "validation": figures,
                "rerank_validation": as_rerank,
            }
            say(
                f"  validation, refit {mode} pull {pull}: {select} {figures[select]}"
                f" (as a re-ranker of the top {rerank_pool}: {as_rerank[select]})"
            )

    def best_refit(by: str, figures: str) -> str | None:
        return max(
            refits,
            key=lambda k: (_key(refits[k][figures], by), refits[k]["pull"]),
            default=None,
        )

    judged: dict[str, str] = {}  # by each figure, the best learned ranking the guard judged

    def choose(by: str) -> tuple[float, str | None, str | None, str, dict[str, float] | None]:
        """(use rates' weight, refit settings, the re-ranker's refit settings, what the
        guard ships, and by the IPS the validation gain it judged), chosen by `by`; ties:
        the smaller weight, the stronger pull towards the fixed weights."""
        w = max(WEIGHTS, key=lambda w: (_key(grid[w], by), -w))
        r = best_refit(by, "validation")  # a re-ranker by the guard's estimate for it
        rr = best_refit("ips_self_normalised" if by == "ips" else by, "rerank_validation")
        options = {f"use rates (weight {w})": grid[w]}
        estimates = {f"use rates (weight {w})": (valid_est[f"weight {w}"], False)}
        if r:
            options[f"refit ({r})"] = refits[r]["validation"]
            estimates[f"refit ({r})"] = (valid_est[f"refit {r}"], False)
        if rr:
            options[f"re-ranker ({rr})"] = refits[rr]["rerank_validation"]
            estimates[f"re-ranker ({rr})"] = (valid_est[f"rerank {rr}"], True)
        judged[by] = max(options, key=lambda k: _key(options[k], by))
        if by != "ips":
            return w, r, rr, guard(fixed_valid, options, by), None
        ship, candidate, gain = ips_guard(valid_est["fixed"], estimates)
        judged[by] = candidate or "fixed"
        return w, r, rr, ship, gain

    weight, refit_key, rerank_key, ship, guard_gain = choose(select)
    refit = RankerWeights(**refits[refit_key]["weights"]) if refit_key else None
    reranker = (
        Reranker(RankerWeights(**refits[rerank_key]["weights"]), rerank_pool)
        if rerank_key
        else None
    )
    say(f"  shipped: {ship}" + (f" (validation IPS gain {guard_gain})" if guard_gain else ""))

    nx, unshown = naive_pairs(learn, ranker)
    naive = naive_weights(nx, base)
    nd = np.zeros(len(nx))
    naive_diag = {
        "pairs": len(nx),
        "pairs_with_an_unshown_item": unshown,
        "weights": asdict(naive),
        "train_pair_accuracy": round(pair_accuracy(nx, nd, naive), 4),
        "fixed_train_pair_accuracy": round(pair_accuracy(nx, nd, base), 4),
        "validation": score(valid, ranker, None, naive),
    }

    main_key = {"mrr_ideal": "ideal", "ips": "ips"}.get(main, "used_shown")
    details: dict[str, dict[str, Any]] = {}
    pools = None
    if pool and any(t.has_propensities for t in test):  # what the randomised lists could serve
        with configured(ranker, None, None):
            pools = [
                [
                    s.id
                    for s in ranker.rank(
                        t.text, 4 * pool, t.intent, t.confidence, language=LANGUAGE
                    )
                ]
                for t in test
            ]

    def held_out(
        name: str,
        prior: UsagePrior | None,
        w: RankerWeights | None,
        rerank: Reranker | None = None,
    ) -> dict[str, Any]:
        details[name] = {}
        return score(test, ranker, prior, w, details[name], pools, pool or RANDOM_POOL, rerank)

    def prior_at(w: float, part: Sequence[Turn] = learn) -> UsagePrior:
        return UsagePrior.learn(impressions(part), UsageSettings(weight=w))

    held: dict[str, Any] = {
        "fixed": held_out("fixed", None, None),
        "learned": held_out("learned", prior_at(weight), None),
        "naive": held_out("naive", None, naive),
        "reweighted": held_out("reweighted", None, refit) if refit else None,
        "reranked": held_out("reranked", None, None, reranker) if reranker else None,
    }
    gains = {
        k: paired_gain(details[k][main_key], details["fixed"][main_key])
        for k in ("learned", "naive", "reweighted", "reranked")
        if k in details
    }
    shipped_as = shipped_kind(ship)

    def chosen_by(by: str) -> dict[str, Any]:
        """What choosing the settings and the guard by `by` would ship, and its held-out figures."""
        w_by, r_by, rr_by, ship_by, _ = choose(by)
        kind = shipped_kind(ship_by)
        if kind == "fixed":
            figures = held["fixed"]
        elif kind == "learned":
            figures = held["learned"] if w_by == weight else score(test, ranker, prior_at(w_by))
        elif kind == "reweighted":
            figures = (
                held["reweighted"]
                if r_by == refit_key
                else score(test, ranker, None, RankerWeights(**refits[str(r_by)]["weights"]))
            )
        else:
            figures = (
                held["reranked"]
                if rr_by == rerank_key
                else score(
                    test,
                    ranker,
                    rerank=Reranker(RankerWeights(**refits[str(rr_by)]["weights"]), rerank_pool),
                )
            )
        return {
            "weight": w_by,
            "refit": r_by,
            "rerank": rr_by,
            "shipped": ship_by,
            "held_out": figures,
        }

    # what a log without the ideal reply or the propensities would have chosen and shipped
    log_only = None
    if select != LOG_SELECT:
        log_only = chosen_by(LOG_SELECT)
        say(f"  chosen by the log alone (used reply among the shown): {log_only['shipped']}")
    # simulated and randomised: what the ideal reply (this bench's choice so far) ships
    by_ideal = None
    if select == "ips" and has_ideal:
        by_ideal = chosen_by("mrr_ideal")
        say(f"  chosen by the ideal reply: {by_ideal['shipped']}")
    off_policy = (
        off_policy_report(test, details, held, guard_gain, select == "ips")
        if any(t.has_propensities for t in test)
        else None
    )

    curve = []
    for share in (0.1, 0.25, 0.5, 1.0):
        part = learn[: max(1, int(len(learn) * share))]
        row: dict[str, Any] = {
            "learn_turns": len(part),
            "use_rates": score(test, ranker, prior_at(weight, part)),
        }
        if refit_key:
            dx, do = pair_data(part, ranker, refits[refit_key]["mode"])
            row["refit"] = score(
                test, ranker, None, fit_weights(dx, do, base, refits[refit_key]["pull"])
            )
        curve.append(row)
        say(f"  curve: {len(part)} turns")

    # how far the logged use is from the ideal reply (the selection bias)
    with_ideal = [t for t in test if t.used and t.ideal]
    bias = {
        "used_is_ideal": _mean([float(t.used == t.ideal) for t in with_ideal]),
        "ideal_was_shown": _mean([float(t.ideal in t.shown) for t in test if t.ideal]),
        "turns_with_use_and_ideal": len(with_ideal),
        "pair_precision": pair_precision(learn, ranker) if any(t.usable for t in learn) else None,
    }
    return {
        "turns": {"learn": len(learn), "validation": len(valid), "held_out": len(test)},
        "impressions_learned": len(seen),
        "uses_learned": sum(i.used for i in seen),
        "select_by": select,
        "main": main,
        "fixed_weights": asdict(base),
        "fixed_validation": fixed_valid,
        "weight_grid": {str(w): f for w, f in grid.items()},
        "weight": weight,
        "pairs": pairs_by_mode,
        "refit_grid": refits,
        "refit_choice": refit_key,
        "refit_weights": asdict(refit) if refit else None,
        "refit_validation": refits[refit_key]["validation"] if refit_key else None,
        "rerank_choice": rerank_key,
        "rerank_pool": rerank_pool,
        "rerank_validation": refits[rerank_key]["rerank_validation"] if rerank_key else None,
        "naive_refit": naive_diag,
        "shipped": ship,
        "shipped_as": shipped_as,
        "policy": policy_of(
            shipped_as,
            weight,
            refit,
            reranker.weights if reranker else None,
            rerank_pool,
        ),
        "validation_turns": len(valid),
        "guard_candidate": judged[select],
        "guard_gain": guard_gain,
        **held,
        "gain_over_fixed": gains,
        "log_only": log_only,
        "by_ideal": by_ideal,
        "off_policy": off_policy,
        "bias": bias,
        "curve": curve,
    }


# ---------------------------------------------------------------------- report

COLUMNS = (
    ("mrr_ideal", "MRR of the ideal reply"),
    ("hit1_ideal", "hit@1 ideal"),
    ("mrr_usable", "MRR of the first usable reply"),
    ("usable_top5", "usable reply in the top 5"),
    ("mrr_used_shown", "MRR of the used reply among the shown"),
    ("mrr_used", "MRR of the used reply, top 10 (biased)"),
    ("hit1_used", "hit@1 used (biased)"),
    ("mrr_right", "MRR of the right reply"),
)
NAMES = {
    **dict(COLUMNS),
    "ips": "IPS estimate of the used reply's MRR in the top 5",
    "ips_self_normalised": "self-normalised IPS estimate",
    "mrr_agent": "MRR of the simulated agent's reply in the top 5",
}
LABEL = {
    "fixed": "fixed",
    "learned": "use rates",
    "naive": "refit before",
    "reweighted": "refit after",
    "reranked": "refit as re-ranker",
}
SHORT = {
    "mrr_ideal": "MRR\nideal",
    "hit1_ideal": "hit@1\nideal",
    "mrr_usable": "MRR first\nusable",
    "usable_top5": "usable\nin top 5",
    "mrr_used_shown": "MRR used\namong shown",
    "mrr_used": "MRR used, top 10\n(biased)",
    "hit1_used": "hit@1 used\n(biased)",
}


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:.4f}" if isinstance(v, float) else str(v)


def _weights(w: dict[str, float]) -> str:
    return ", ".join(f"{k} {w[k]:.3g}" for k in PAIR_FEATURES)


def _gain(g: dict[str, float] | None) -> str:
    if not g or math.isnan(g["gain"]):
        return "n/a"
    return f"{g['gain']:+.4f} [{g['low']:+.4f}, {g['high']:+.4f}]"


def write(result: dict[str, Any], name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result["replay"]
    sel, ship, f = r["select_by"], r["shipped"], r["fixed"]
    main = r.get("main") or ("mrr_ideal" if sel == "mrr_ideal" else LOG_SELECT)
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("fixed", "fixed weights (today's ranker)", f),
        ("learned", f"fixed weights + use rates learned from the log (weight {r['weight']})",
         r["learned"]),
        ("naive", "refit before: as this bench did until now (the used reply against all of "
         "the fixed top 10, unscaled, C=1, clipped)", r["naive"]),
    ]  # fmt: skip
    if r.get("reweighted"):
        rows.append(
            ("reweighted", f"refit after: click model / pull {r['refit_choice']}", r["reweighted"])
        )
    if r.get("reranked"):
        rows.append(
            (
                "reranked",
                f"refit as a re-ranker of the fixed top {r['rerank_pool']}: click model / pull "
                f"{r['rerank_choice']}",
                r["reranked"],
            )
        )
    naive = r["naive_refit"]
    gains = r["gain_over_fixed"]
    shipped_fig = r[r["shipped_as"]]
    valid_options = [("fixed weights", r["fixed_validation"])]
    valid_options.append((f"use rates {r['weight']}", r["weight_grid"][str(r["weight"])]))
    if r.get("refit_choice"):
        valid_options.append((f"refit {r['refit_choice']}", r["refit_validation"]))
    if r.get("rerank_choice"):
        valid_options.append((f"re-ranker {r['rerank_choice']}", r["rerank_validation"]))
    lines = [
        "# Suggested replies that learn from agents: an offline replay",
        "",
        f"Generated {result['generated']} by `{result['command']}` in {result['seconds']} s.",
        f"Log: {result['log']}. Turns, in the log's time order: {r['turns']['learn']} to "
        f"learn from ({r['impressions_learned']} impressions, {r['uses_learned']} uses), "
        f"{r['turns']['validation']} to choose the settings, {r['turns']['held_out']} held out.",
        "",
        f"**Shipped by the guard: {ship}.** Every setting, and whether a learned ranking "
        "ships at all ("
        + (
            "only if the lower bound of the paired bootstrap interval of its gain over the "
            "fixed weights is above 0, 95 % for the candidates together; the self-normalised "
            "estimate for the re-ranker, the plain one for the others: here "
            f"{r.get('guard_candidate')} {_gain(r.get('guard_gain'))}"
            if sel == "ips"
            else "only if it beats the fixed weights"
        )
        + f"), was chosen on the validation turns by the {NAMES[sel]}: "
        + ", ".join(f"{label} {_fmt(fig[sel])}" for label, fig in valid_options)
        + ". "
        f"On the held-out turns its {NAMES[main]} is {_fmt(shipped_fig[main])} against "
        f"{_fmt(f[main])} for the fixed weights"
        + (
            f" (gain and 95 % paired bootstrap interval: {_gain(gains.get(r['shipped_as']))})."
            if r["shipped_as"] != "fixed"
            else "."
        ),
        "",
        f"The service serves it with `--policy FILE` (`make bench-suggestions POLICY=FILE`) "
        f"and `AGENT_ASSIST_SUGGESTION_POLICY=FILE`: this replay's file says "
        f"**ship {r['policy']['ship']}**"
        + (
            f" (the refit's weights re-order the fixed ranking's top {r['rerank_pool']}, "
            "the same pool the randomised lists draw from)"
            if r["policy"]["ship"] == "rerank"
            else ""
        )
        + ".",
        "",
        "By the MRR of the used reply in the top 10, the one figure this report gave until "
        "now (and judged the learned rankings by), "
        + "; ".join(f"{LABEL[key]} {_fmt(fig['mrr_used'])}" for key, _, fig in rows)
        + f"; by the {NAMES[main]}, "
        + "; ".join(f"{LABEL[key]} {_fmt(fig[main])}" for key, _, fig in rows)
        + ". The first is biased towards the fixed ranker, which chose what the agent could "
        "use (see below).",
        "",
        "## Held-out turns: before and after",
        "",
        "| ranker | "
        + " | ".join(label for _, label in COLUMNS)
        + f" | {NAMES[main]}: gain over fixed [95 % CI] |",
        "|---|" + "---|" * (len(COLUMNS) + 1),
        *[
            f"| {label}{' **(shipped)**' if key == r['shipped_as'] else ''} | "
            + " | ".join(_fmt(fig[k]) for k, _ in COLUMNS)
            + f" | {'-' if key == 'fixed' else _gain(gains.get(key))} |"
            for key, label, fig in rows
        ],
        "",
        f"{f['turns_with_ideal']} held-out turns with an ideal reply, {f['turns_with_use']} "
        f"with a used one, {f['turns_labelled']} with the customer's real request known; "
        "the gain's interval: 2,000 paired bootstrap resamples of the held-out turns.",
        "",
        "## What the figures measure",
        "",
        "Each ranking's top 10, as the service ranks (at most 2 templates per intent):",
        "",
        "- **MRR of the ideal reply** (the main figure, simulated logs): the template of the "
        "whole bank closest to the reply the dataset gives for the message (cosine >= 0.6), "
        "i.e. the one the agent would ideally use, whatever was shown. **First usable "
        "reply** / **usable in the top 5**: the simulated agent's own rule replayed on each "
        "ranking (the first template within 0.6 of the dataset's reply; one among the 5 shown).",
        "- **MRR of the used reply among the shown**: each ranking re-orders only the replies "
        "the agent saw; the used one's rank there. Replies never shown, about which the log "
        "says nothing, cannot push it down. It is the one figure a real log allows; it "
        "still leans towards the order shown when agents read from the top (the simulated "
        "agent reads all 5), and it cannot see a ranking bring in better, or worse, unshown "
        "replies.",
        "- **MRR of the used reply, top 10** and its hit@1 are biased towards the fixed "
        "ranker: the agent could only use one of the 5 replies the fixed ranker showed, so "
        "a ranking whose first reply would have served the agent as well or better (a "
        "usable template at least as close to the dataset's reply) is scored a miss. Share "
        "of the held-out turns with a use where that happened to the first reply: "
        + ", ".join(f"{LABEL[key]} {_fmt(fig['used_miss_as_good'])}" for key, _, fig in rows)
        + " (never for the fixed ranker: its first reply was shown). The logged use was the "
        f"ideal reply on {_fmt(r['bias']['used_is_ideal'])} of the held-out turns; the ideal "
        f"reply was among the 5 shown on {_fmt(r['bias']['ideal_was_shown'])}.",
        "- **MRR of the right reply**: the first reply of the customer's real intent.",
        "",
    ]
    if r.get("log_only"):
        lo = r["log_only"]
        lines += [
            "## Chosen by the log alone",
            "",
            "A real log has no ideal reply: there the settings and the guard can only use the "
            f"{NAMES[LOG_SELECT]}. Chosen that way on the same validation turns: use rates at "
            f"weight {lo['weight']}, refit {lo['refit']}; the guard would ship **{lo['shipped']}**, "
            "which on the held-out turns scores "
            + ", ".join(
                f"{NAMES[k]} {_fmt(lo['held_out'][k])}"
                for k in ("mrr_ideal", LOG_SELECT, "mrr_used")
            )  # fmt: skip
            + f" (fixed: {_fmt(f['mrr_ideal'])}, {_fmt(f[LOG_SELECT])}, {_fmt(f['mrr_used'])}). "
            "That figure cannot see a ranking bring in replies that were never shown, so on a "
            "real log it is a weaker guard: before a learned ranking ships there, either show "
            "on some turns replies drawn at random from a wider top list (every reply a new "
            "ranking could show then has a known chance of being shown: an unbiased "
            "off-policy estimate"
            + (", as this log does: see below" if r.get("off_policy") else "")
            + "), or test it online against the fixed weights (interleaving, A/B).",
            "",
        ]
    if r.get("by_ideal"):
        bi = r["by_ideal"]
        lines += [
            "## Chosen by the ideal reply (the simulation's oracle)",
            "",
            "What this bench chose by before the log had propensities (the ideal reply, "
            "known only in a simulation): use rates at weight "
            f"{bi['weight']}, refit {bi['refit']}; the guard (beats the fixed weights on "
            f"validation) would ship **{bi['shipped']}**, which on the held-out turns scores "
            + ", ".join(
                f"{NAMES[k]} {_fmt(bi['held_out'][k])}" for k in ("mrr_ideal", "mrr_agent", "ips")
            )
            + f" (fixed: {_fmt(f['mrr_ideal'])}, {_fmt(f['mrr_agent'])}, {_fmt(f['ips'])}).",
            "",
        ]
    if r.get("off_policy"):
        lines += _off_policy_lines(result, name)
    prec = r["bias"].get("pair_precision") or {}
    lines += [
        "## The refit, before and after",
        "",
        f"- Before: {naive['pairs']} pairs from the learning turns (the used reply against "
        f"every other item of the fixed top 10), {naive['pairs_with_an_unshown_item']} of "
        "them with an item ranked 6-10 that the agent never saw; features unscaled, C=1, "
        f"negative weights clipped to 0. Weights: {_weights(naive['weights'])}. It orders "
        f"{_fmt(naive['train_pair_accuracy'])} of its own training pairs right (the fixed "
        f"weights: {_fmt(naive['fixed_train_pair_accuracy'])}); validation {NAMES[sel]} "
        f"{_fmt(naive['validation'][sel])}.",
        *(
            [
                "- How often a pair's preferred reply really is at least as close to the "
                "dataset's reply (the agent's own criterion), learning turns: "
                + ", ".join(
                    f"{k.replace('_', ' ')} {_fmt(v['right'])} of {v['pairs']}"
                    for k, v in prec.items()
                )
                + ". (Shown pairs are right by the simulated agent's construction; a real "
                "agent's are not, and the unshown ones are an assumption.)"
            ]
            if prec
            else []
        ),
        "- After: the preferences a click model reads in the log (`skip_above`: the used "
        "reply over the shown ones above it, Joachims' click > skip above; `shown`: over "
        "all other shown ones; `top10`: also over the items the ranker put 6-10, as before; "
        "any way over dismissed ones); the ranker's own score (the four features, the intent "
        "bonus times the classifier's confidence, the fixed personal bonus as an offset: "
        "`item_scores`, checked against `HybridRanker.rank` by the tests); weights >= 0 as a "
        "bound of the fit, not a clip, at the fixed weights' scale so the stage and personal "
        "bonuses keep their size; an L2 pull towards the fixed weights, each feature in "
        "units of its spread. Click model and pull chosen on the validation turns:",
        "",
        f"| click model / pull | pairs | weights | training pairs right (fixed weights) "
        f"| validation: {NAMES[sel]} | validation: {NAMES[LOG_SELECT]} |",
        "|---|---|---|---|---|---|",
        *[
            f"| {k}{' **(chosen)**' if k == r['refit_choice'] else ''} | {g['pairs']} | "
            f"{_weights(g['weights'])} | {_fmt(g['train_pair_accuracy'])} "
            f"({_fmt(g['fixed_train_pair_accuracy'])}) | {_fmt(g['validation'][sel])} | "
            f"{_fmt(g['validation'][LOG_SELECT])} |"
            for k, g in r["refit_grid"].items()
        ],
        f"| fixed weights | | {_weights(r['fixed_weights'])} | | "
        f"{_fmt(r['fixed_validation'][sel])} | {_fmt(r['fixed_validation'][LOG_SELECT])} |",
        "",
        f"Use rates on the validation turns ({NAMES[sel]} / {NAMES[LOG_SELECT]}): "
        + "; ".join(
            f"weight {w} {_fmt(g[sel])} / {_fmt(g[LOG_SELECT])}"
            for w, g in r["weight_grid"].items()
        )
        + " (weight 0: the exploration bonus for rarely shown replies alone, the service's "
        "default).",
        "",
        "## Learning curve (held out, settings as chosen above)",
        "",
        f"| turns learned from | use rates: {NAMES[main]} | refit: {NAMES[main]} |",
        "|---|---|---|",
        f"| 0 (the fixed weights) | {_fmt(f[main])} | {_fmt(f[main])} |",
        *[
            f"| {c['learn_turns']} | {_fmt(c['use_rates'][main])} | "
            f"{_fmt(c['refit'][main] if 'refit' in c else None)} |"
            for c in r["curve"]
        ],
        "",
        f"![held-out figures and learning curve]({name}.png)",
        "",
    ]
    (RESULTS / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    _plot(result, RESULTS / f"{name}.png")
    return RESULTS / f"{name}.md"


def _off_policy_lines(result: dict[str, Any], name: str) -> list[str]:
    """The report's section on the off-policy (IPS) estimate."""
    r = result["replay"]
    op = r["off_policy"]
    rnd = result.get("randomised")
    size = rnd["pool"] if rnd else RANDOM_POOL
    simulated = not math.isnan(op["rankings"]["fixed"]["truth"])
    labels = {"fixed": "fixed weights", "learned": f"use rates (weight {r['weight']})",
              "naive": "refit before", "reweighted": f"refit after ({r['refit_choice']})",
              "reranked": f"refit as re-ranker ({r.get('rerank_choice')})"}  # fmt: skip
    served = (
        f"The simulated log was served as the service serves with `Randomiser(rate={rnd['rate']}, "
        f"pool={rnd['pool']})`: a share {rnd['rate']} of the lists is a uniformly random ordered "
        f"sample of the fixed ranking's top {rnd['pool']}, and every reply is logged with its "
        "position and propensity."
        if rnd
        else "The log carries each suggestion's position and propensity."
    )
    lines = [
        "## Off-policy estimate: randomised impressions, inverse propensity scoring",
        "",
        f"{served} {op['turns_with_propensity']} held-out turns carry propensities "
        f"({op['turns_without_propensity']} without, left out). The item-position IPS "
        "estimate (Li, Kim, Zitouni, KDD 2018) of a ranking's value, the expected reciprocal "
        "rank of the used reply in the 5 it would serve: (1/n) * sum over turns of [it puts "
        "the used reply at its logged position k] * (1/k) / propensity. It is unbiased when "
        "the agent's use of a reply depends only on the reply and its position (not on the "
        "other replies of the list) and every reply the ranking puts in its 5 could have "
        "been served there (in the randomised pool). The plain estimate is the one reported "
        "and guarded by; the self-normalised one (each position's weights normalised) is "
        "beside it.",
        "",
        "| ranking (held out) | IPS estimate | IPS gain over fixed [95 % CI] | self-normalised "
        "| self-normalised gain [95 % CI] "
        "| truth: the agent's rule on its own 5 (simulated) | true gain [95 % CI] "
        "| IPS - truth | truth, a reply from the pool only | its 5 in the fixed top "
        f"{size} / {2 * size} / {4 * size} |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *[
            f"| {labels.get(k, k)}{' **(shipped)**' if k == r['shipped_as'] else ''} "
            f"| {_fmt(g['ips'])} | {'-' if k == 'fixed' else _gain(g['gain'])} "
            f"| {_fmt(g['ips_self_normalised'])} "
            f"| {'-' if k == 'fixed' else _gain(g.get('sn_gain'))} | {_fmt(g['truth'])} "
            f"| {'-' if k == 'fixed' else _gain(g['truth_gain'])} | {_fmt(g['ips_minus_truth'])} "
            f"| {_fmt(g.get('truth_in_pool'))} | {_fmt(g['support'])} / "
            f"{_fmt(g.get('support_2x'))} / {_fmt(g.get('support_4x'))} |"
            for k, g in op["rankings"].items()
        ],
        "",
    ]
    if simulated:
        lines += [
            "The truth is each ranking's online value: the simulated agent's rule (the shown "
            "template closest to the dataset's reply, cosine >= 0.6) replayed on the 5 it "
            "would serve, on the same turns. The gap IPS - truth has two parts. (1) Support: "
            "a reply the ranking puts in its 5 from outside the randomised pool (the fixed "
            f"ranking's top {size}) is never served there, so it can never be credited; "
            "`truth, a reply from the pool only` is the truth counting only those the pool "
            "holds, what IPS estimates under its model (the last column: how much of each "
            "ranking's 5 a pool of that width would hold). (2) The model: the simulated agent "
            "compares the replies of a list and uses the best one, which is not the "
            "item-position model the estimate assumes (a reply drawn into a random list "
            "competes with other replies than in the ranking's own list): IPS - that "
            "truth, beyond the noise.",
            "",
        ]
    if op["guarded"]:
        g = op["guard_gain"]
        lines += [
            f"**The guard** chose the settings by the IPS estimate on the validation turns "
            f"and ships, of the candidates whose gain over the fixed weights has a paired "
            f"bootstrap interval above 0 (95 % for the candidates together, each at 1 - "
            f"0.05 / their number), the one with the largest gain: "
            f"{r.get('guard_candidate')}, {_gain(g)}, so it ships **{r['shipped']}**. "
            "A re-ranker of the randomised pool is judged by the self-normalised estimate "
            "(every reply it can show could have been served there, so normalising by the "
            "weights the turns had is consistent, and it removes most of the plain "
            "estimate's noise: a reply of a random list weighs 1 / propensity, 1 / (rate / "
            "pool)); every other ranking by the plain IPS, which counts a reply the pool "
            "never held as a miss and so can only underestimate it, where the self-"
            "normalised one would average over the turns it can be credited on and could "
            "overestimate it (the table: compare each with the truth).",
            "",
        ]
    rate = rnd["rate"] if rnd else None
    curve = op["curve"]
    lines += [
        "### How many turns of randomised traffic? (IPS learning curve, held out)",
        "",
        "The gain over the fixed weights by the guard's estimate (self-normalised for the "
        "re-ranker, IPS for the others) and its 95 % interval on the first n held-out "
        "turns" + (f" (about {rate} n of them served at random)" if rate else "") + ":",
        "",
        "| held-out turns | "
        + " | ".join(
            f"{labels[k]}: {'self-normalised' if k == 'reranked' else 'IPS'} gain [95 % CI] "
            "(true gain)"
            for k in curve
        )
        + " |",
        "|---|" + "---|" * len(curve),
    ]
    first: list[dict[str, Any]] = next(iter(curve.values()), [])
    picks = sorted({j for j in range(len(first)) if (j + 1) % 4 == 0} | {len(first) - 1})
    for j in picks:
        lines.append(
            f"| {first[j]['turns']} | "
            + " | ".join(
                f"{_gain(c[j]['gain'])} ({_fmt(c[j]['truth_gain'])})" for c in curve.values()
            )
            + " |"
        )
    lines.append("")

    def log_of(turns: int | None) -> str:
        """The validation turns `turns`, as a whole log (the guard reads its 20 %)."""
        if not turns:
            return "never (no gain)"
        whole = math.ceil(turns / SPLIT[1])
        random_lists = f", {math.ceil(whole * rate)} of them random lists" if rate else ""
        return f"about {turns} validation turns, a log of {whole}{random_lists}"

    n_held = op["turns_with_propensity"]
    for k, need in op["turns_needed"].items():
        lines.append(
            f"- {labels[k]}: the lower bound "
            + (
                f"stays above 0 from {need['stays_above_zero']} held-out turns on"
                if need["stays_above_zero"]
                else f"does not stay above 0 within the {n_held} held-out turns"
            )
            + f". Per-turn spread of the gain {_fmt(need['per_turn_sd'])}: for the "
            "guard's lower bound to reach 0 (1.96² var / gain² turns), at the estimated gain "
            f"({_fmt(need['ips_gain'])}) {log_of(need['at_ips_gain'])}"
            + (
                f"; at the true gain ({_fmt(need['true_gain'])}) {log_of(need['at_true_gain'])}"
                if not math.isnan(need["true_gain"])
                else ""
            )
            + "."
        )
    lines += [
        "",
        "The interval's width falls as 1 / sqrt(turns) and, the random lists carrying most "
        "of a different ranking's weight (1 / propensity, a random reply's propensity being "
        "rate / pool), roughly as sqrt(pool / rate): half the rate, or twice the pool, about "
        "twice the turns. A wider pool covers more of a learned ranking's 5 (the table's "
        "last column) at that price.",
        "",
        f"![IPS learning curve]({name}.png)",
        "",
    ]
    return lines


def _plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = result["replay"]
    rankers = [
        ("fixed", r["fixed"]),
        (f"use rates {r['weight']}", r["learned"]),
        ("refit before", r["naive"]),
        *([(f"refit after ({r['refit_choice']})", r["reweighted"])] if r.get("reweighted") else []),
        *([("refit as re-ranker", r["reranked"])] if r.get("reranked") else []),
    ]
    keys = [k for k, _ in COLUMNS[:7] if not math.isnan(r["fixed"][k])]
    op = r.get("off_policy")
    if op and op["curve"]:
        fig, (left, right, third) = plt.subplots(1, 3, figsize=(20, 4.8), width_ratios=(1.6, 1, 1))
    else:
        fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.8), width_ratios=(1.6, 1))
    width = 0.8 / len(rankers)
    for j, (label, figures) in enumerate(rankers):
        left.bar(np.arange(len(keys)) + j * width, [figures[k] for k in keys], width, label=label)
    left.set_xticks(np.arange(len(keys)) + 0.4 - width / 2)
    left.set_xticklabels([SHORT[k] for k in keys], fontsize=8)
    left.set_ylabel("held-out turns")
    left.set_title("held out (the last two figures lean to the fixed ranker)", fontsize=10)
    left.legend(fontsize=8)
    main = r.get("main") or ("mrr_ideal" if r["select_by"] == "mrr_ideal" else LOG_SELECT)
    xs = [0] + [c["learn_turns"] for c in r["curve"]]
    for learner, label in (("use_rates", f"use rates {r['weight']}"), ("refit", "refit after")):
        if all(learner in c for c in r["curve"]):
            ys = [r["fixed"][main]] + [c[learner][main] for c in r["curve"]]
            right.plot(xs, ys, marker="o", label=label)
    right.axhline(r["fixed"][main], linestyle=":", color="grey", label="fixed weights")
    right.set_xlabel("turns of feedback learned from")
    right.set_ylabel(f"held-out {NAMES[main]}")
    right.set_title("learning curve", fontsize=10)
    right.legend(fontsize=8)
    if op and op["curve"]:
        names = {
            "learned": f"use rates {r['weight']}",
            "reweighted": "refit after",
            "reranked": "refit as re-ranker",
        }
        for k, points in op["curve"].items():
            ns = [c["turns"] for c in points]
            line = third.plot(ns, [c["gain"]["gain"] for c in points], marker="o", label=names[k])
            colour = line[0].get_color()
            third.fill_between(
                ns,
                [c["gain"]["low"] for c in points],
                [c["gain"]["high"] for c in points],
                alpha=0.15,
                color=colour,
            )
            if points[0]["truth_gain"] is not None:
                third.plot(
                    ns,
                    [c["truth_gain"] for c in points],
                    linestyle="--",
                    color=colour,
                    label=f"{names[k]}: true gain",
                )
        third.axhline(0.0, color="grey", linestyle=":")
        third.set_xlabel("held-out turns with propensities")
        third.set_ylabel("gain over fixed weights, guard's estimate (95 % CI)")
        third.set_title("off-policy estimate: when can the guard ship?", fontsize=10)
        third.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def ranking_policy(result: dict[str, Any]) -> RankingPolicy:
    """The service's policy file (retrieval/ranking_policy.py) of what the replay's guard
    shipped, with the evidence it went by."""
    r = result["replay"]
    gain = r.get("guard_gain")
    return RankingPolicy.model_validate(
        {
            **r["policy"],
            "language": LANGUAGE,
            "evidence": {
                "log": result["log"],
                "select_by": r["select_by"],
                "validation_turns": r["validation_turns"],
                "candidate": r["guard_candidate"],
                "gain": gain if gain and not math.isnan(gain["gain"]) else None,
                "created": result["generated"],
            },
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--log", type=Path, help="a feedback export (JSONL); default: simulate")
    ap.add_argument("--model", type=Path, default=ROOT / "var/models/intent")
    ap.add_argument("--datasets-root", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--turns", type=int, default=3000, help="simulated turns")
    ap.add_argument("--quick", action="store_true", help="300 simulated turns")
    ap.add_argument(
        "--random-rate",
        type=float,
        default=RANDOM_RATE,
        help="simulated log: share of the lists served at random (0: none, today's log)",
    )
    ap.add_argument(
        "--random-pool",
        type=int,
        default=RANDOM_POOL,
        help="a random list is drawn from the ranking's top this many (simulated log; for "
        "a real one, the service's AGENT_ASSIST_SUGGESTION_RANDOM_POOL); the re-ranker's pool",
    )
    ap.add_argument(
        "--policy",
        type=Path,
        help="write what the guard shipped here, for the service's AGENT_ASSIST_SUGGESTION_POLICY",
    )
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
        randomiser = Randomiser(a.random_rate, a.random_pool, random.Random(SEED))
        turns = simulate(rows, load_analyzer(settings, a.model), ranker, randomiser)
        source = f"simulated from {len(rows)} rows of {BITEXT} (an agent who uses the shown template closest to the dataset's reply)"
    result: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.suggestion_feedback"
        + (f" --log {a.log}" if a.log else "")
        + (" --quick" if a.quick else "")
        + (f" --random-rate {a.random_rate}" if a.random_rate != RANDOM_RATE else "")
        + (f" --random-pool {a.random_pool}" if a.random_pool != RANDOM_POOL else ""),
        "log": source,
        "randomised": None
        if a.log
        else {"rate": a.random_rate, "pool": a.random_pool, "seed": SEED},
        "replay": replay(
            turns, ranker, pool=None if a.log else a.random_pool, rerank_pool=a.random_pool
        ),
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    if a.policy:
        path = ranking_policy(result).write(a.policy)
        print(f"wrote the shipped ranking ({result['replay']['policy']['ship']}) to {path}")
    print(write(result, a.name + ("_quick" if a.quick else "")).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
