"""Related history, quality: does the product bring back the customer's earlier conversation
or event about the same problem as the current turn? (benchmarks.md, "Related history")

    python -m bench.retrieval --only related [--quick]      # this section + its scale part

The labelled set is made here, seeded, from real customer utterances: the held-out intent
data (`data/intents/test.csv` + `valid.csv`: Bitext's validation/testing splits and the
hand-written intents), grouped by intent. For each customer:
- a random demo journey (`retrieval.demo.history_builder.random_customer`: page views,
  searches, orders, confirmations, deliveries, returns, tickets, a few chats and calls);
- one PLANTED item about problem P (an intent none of the journey's own events has): an
  earlier conversation (60 %: `chat_customer` turn in a conversation with the bot's real
  reply from `rasa_bot/domain.yml`, greetings, thanks, sometimes a hand-off to an agent), or
  an e-mail (20 %) or a phone call (20 %); 1-300 days old;
- DISTRACTORS: 6 more conversations and 2 e-mails/calls, each about another intent (two
  different problems never share an intent), at random times over the last year;
- the CURRENT conversation: a greeting, then the query turn, a different utterance of P
  whose wording is distinct (content-word Jaccard <= 0.5 with the planted text, never
  equal). The current conversation is in the store too, as in the service; related
  history must leave it out.
Every system ranks the same candidates: the customer's events minus the current
conversation and the bot's / system's own words (what `AgentAssist.related` leaves out).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml

from intent.data import load_examples
from intent.encoder import Encoder
from retrieval.assist import NOT_HISTORY, RELATED_MIN_SCORE, AgentAssist
from retrieval.demo.generate import write
from retrieval.demo.history_builder import History, load_phrases, random_customer
from retrieval.index import HistoryIndex
from retrieval.pii import Redactor, embedding_text
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import EventIn
from retrieval.store import SqlHistoryStore

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "data/intents/test.csv", ROOT / "data/intents/valid.csv")
SMALL_TALK = frozenset({"affirm", "deny", "goodbye", "greet", "thank_you", "out_of_scope"})
# what an agent says that names no problem (a hand-off's agent turns)
AGENT_LINES = (
    "Hi, this is Sam from customer care, I'm reading your messages now.",
    "Thanks for your patience, I'm looking into it.",
    "I've checked your account and it's sorted now.",
    "Is there anything else I can help you with today?",
    "Could you confirm the e-mail address on your account?",
)
# the ownership changes' timeline texts (api/conversations/store.py, _TRANSITION_TEXT)
HANDOFF = "Handed to a person: customer asked for an agent"
CLAIM = "sam took the conversation"
CLOSE = "Conversation closed: resolved"
WORD = re.compile(r"[a-z]+")
STOP = frozenset(bm25s.stopwords.STOPWORDS_EN)
SYSTEMS = ("product", "bm25", "dense")
LABELS = {
    "product": "**product** (`AgentAssist.related`, as served)",
    "bm25": "BM25 alone (bm25s)",
    "dense": "dense alone (MiniLM cosine, raw texts)",
}
SHORT = {"product": "product", "bm25": "BM25", "dense": "dense"}


@dataclass(frozen=True, slots=True)
class Case:
    customer_id: str
    intent: str  # the problem P
    kind: str  # how the planted item was said: chat / email / phone
    planted_id: str
    planted_text: str  # the planted event's stored text
    query: str  # the current turn
    conversation_id: str  # the current conversation (related history leaves it out)
    overlap: float  # content-word Jaccard of query and planted utterance


def utterances(sources: Sequence[Path] = SOURCES) -> dict[str, list[str]]:
    """Distinct utterances per intent, in the order of the files."""
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for path in sources:
        for ex in load_examples(path):
            out[ex.label][ex.text] = None
    return {k: list(v) for k, v in out.items()}


def bot_replies(bot: Path = ROOT / "rasa_bot") -> dict[str, str]:
    """intent -> the demo bot's reply (its rule's `utter_*` text, or a neutral line for
    custom actions)."""
    domain = yaml.safe_load((bot / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((bot / "data/rules.yml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for rule in rules.get("rules", []):
        steps = rule.get("steps", [])
        if len(steps) >= 2 and "intent" in steps[0] and "action" in steps[1]:
            intent, action = steps[0]["intent"], steps[1]["action"]
            texts = domain.get("responses", {}).get(action)
            out.setdefault(intent, texts[0]["text"] if texts else "Let me check that for you.")
    return out


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def jaccard(a: str, b: str) -> float:
    x, y = content_words(a), content_words(b)
    return len(x & y) / len(x | y) if x | y else 1.0


def _pair(pool: list[str], rng: random.Random, max_overlap: float) -> tuple[str, str, float]:
    for _ in range(200):
        p, q = rng.sample(pool, 2)
        j = jaccard(p, q)
        if j <= max_overlap and p.lower().strip() != q.lower().strip():
            return p, q, j
    raise ValueError(f"no distinct pair in {pool[:3]}...")


class Timeline:
    """One customer's events; conversations written as api/conversations/store.py writes
    them (one `chat_<role>` event per turn or ownership change, channel `chat`, with the
    conversation id in the attributes). Event ids are `prefix` + a counter."""

    def __init__(
        self, cid: str, rng: random.Random, bot: dict[str, str], prefix: str | None = None
    ) -> None:
        self.cid, self.rng, self.bot = cid, rng, bot
        self.prefix = prefix or f"{cid}-R"
        self.events: list[EventIn] = []
        self._n = 0

    def event(self, channel: str, type_: str, ts: datetime, text: str, **attrs: Any) -> str:
        self._n += 1
        eid = f"{self.prefix}{self._n:03d}"
        self.events.append(
            EventIn(
                id=eid,
                customer_id=self.cid,
                channel=channel,  # type: ignore[arg-type]
                type=type_,
                ts=ts,
                text=text,
                intent=None,
                order_id=None,
                ticket_id=None,
                attributes=attrs,
            )
        )
        return eid

    def chat(
        self, conv: str, at: datetime, problem: str, intent: str, small: dict[str, list[str]]
    ) -> str:
        """One conversation; returns the id of its problem turn."""
        r, t = self.rng, at

        def turn(role: str, text: str) -> str:
            nonlocal t
            t += timedelta(seconds=r.randint(5, 90))
            return self.event("chat", f"chat_{role}", t, text, conversation_id=conv, role=role)

        if r.random() < 0.5:
            turn("customer", r.choice(small["greet"]))
            turn("bot", self.bot.get("greet", "Hello!"))
        eid = turn("customer", problem)
        turn("bot", self.bot.get(intent, "Let me check that for you."))
        if r.random() < 0.3:
            turn("request_handoff", HANDOFF)
            turn("claim", CLAIM)
            for line in r.sample(AGENT_LINES, 2):
                turn("agent", line)
        if r.random() < 0.5:
            turn("customer", r.choice(small["thank_you"]))
        turn("close", CLOSE)
        return eid

    def said(self, kind: str, at: datetime, text: str) -> str:
        if kind == "phone":
            return self.event("phone", "call", at, f"Customer called: {text}")
        return self.event("email", "email_received", at, text)


def build(
    customers: int,
    seed: int = 11,
    distractor_chats: int = 6,
    distractor_events: int = 2,
    max_overlap: float = 0.5,
    now: datetime | None = None,
) -> tuple[History, list[Case]]:
    """The labelled set: `customers` customers, one case each (see the module doc)."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    phrases = load_phrases()
    pool = utterances()
    small = {k: pool[k] for k in ("greet", "thank_you")}
    problems = sorted(k for k in pool if k not in SMALL_TALK)
    others = problems + ["out_of_scope"]
    bot = bot_replies()
    seq = iter(range(900_000, 10**9))
    history = History()
    cases: list[Case] = []
    for k in range(customers):
        cid = f"R-{k + 1:05d}"
        h = random_customer(cid, now, rng, phrases, seq)
        own = {e.intent for e in h.events if e.intent}
        intent = rng.choice([p for p in problems if p not in own])
        planted, query, overlap = _pair(pool[intent], rng, max_overlap)
        tl = Timeline(cid, rng, bot)
        topics = rng.sample(
            [o for o in others if o != intent and o not in own],
            distractor_chats + distractor_events,
        )
        for i, topic in enumerate(topics):
            at = now - timedelta(days=rng.uniform(0.5, 365))
            text = rng.choice(pool[topic])
            if i < distractor_chats:
                tl.chat(f"conv-{cid}-{i}", at, text, topic, small)
            else:
                tl.said(rng.choice(["email", "phone"]), at, text)
        kind = rng.choices(["chat", "email", "phone"], [0.6, 0.2, 0.2])[0]
        at = now - timedelta(days=rng.uniform(1, 300))
        if kind == "chat":
            pid = tl.chat(f"conv-{cid}-planted", at, planted, intent, small)
        else:
            pid = tl.said(kind, at, planted)
        current = f"conv-{cid}-now"
        start = now - timedelta(minutes=3)
        tl.event(
            "chat", "chat_customer", start, rng.choice(small["greet"]), conversation_id=current
        )
        tl.event("chat", "chat_bot", start, bot.get("greet", "Hello!"), conversation_id=current)
        tl.event(
            "chat", "chat_customer", now - timedelta(minutes=1), query, conversation_id=current
        )
        h.events += tl.events
        history.extend(h)
        text = next(e.text for e in tl.events if e.id == pid)
        cases.append(Case(cid, intent, kind, pid, text, query, current, round(overlap, 3)))
    return history, cases


# ---------------------------------------------------------------- scoring

THRESHOLDS = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4)


def _rank(ids: Sequence[str], target: str) -> int | None:
    return ids.index(target) + 1 if target in ids else None


def _metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    n = max(1, len(ranks))
    found = [r for r in ranks if r is not None]
    return {
        "recall@1": round(sum(r <= 1 for r in found) / n, 3),
        "recall@3": round(sum(r <= 3 for r in found) / n, 3),
        "recall@5": round(sum(r <= 5 for r in found) / n, 3),
        "mrr@5": round(sum(1 / r for r in found if r <= 5) / n, 3),
        "n": len(ranks),
    }


def _order(scores: np.ndarray, ts: np.ndarray, positive: bool = True) -> np.ndarray:
    """Best first, ties newest first (as the index orders them); with `positive`, zero
    scores are dropped (BM25: no shared term, not found)."""
    order = np.lexsort((-ts, -scores))
    return order[scores[order] > 0] if positive else order


def _tok(texts: Sequence[str]) -> list[list[str]]:
    return bm25s.tokenize(list(texts), stopwords="en", show_progress=False, return_ids=False)


def _negative(case: Case, history: list[EventIn], pool: dict[str, list[str]], seed: int) -> str:
    """A turn about a problem this customer never raised (no event of its intent)."""
    said = {e.text for e in history}
    seen = {i for i in pool if any(t in said for t in pool[i])} | {case.intent}
    seen |= {e.intent for e in history if e.intent}
    rng = random.Random(f"{seed}/{case.customer_id}")
    return rng.choice(pool[rng.choice(sorted(set(pool) - SMALL_TALK - seen))])


def evaluate(
    history: History, cases: Sequence[Case], encoder: Encoder, db: Path, seed: int = 11
) -> dict[str, Any]:
    """Write the set to a fresh SQLite store, build the product's index from it, and rank
    the planted item with every system on the same candidates."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    store = SqlHistoryStore.open(f"sqlite:///{db}")
    write(history, store)
    t0 = time.perf_counter()
    index = HistoryIndex.rebuild(store, encoder)
    build_s = time.perf_counter() - t0
    assist = AgentAssist(store, HybridRanker(load_bank(), encoder), index=index)
    by_customer: dict[str, list[EventIn]] = defaultdict(list)
    for e in history.events:
        by_customer[e.customer_id].append(e)
    pool = utterances()
    negatives = [_negative(c, by_customer[c.customer_id], pool, seed) for c in cases]
    redactor = Redactor()
    normalised = {c.query: embedding_text(redactor.redact(c.query)) for c in cases}
    texts = {e.text for e in history.events} | set(negatives) | set(normalised.values())
    texts |= {assist.embedding_text(t) for t in negatives}
    texts |= {assist.embedding_text(c.planted_text) for c in cases}  # the exact-copy check
    texts |= {c.query for c in cases}
    # one batched pass (the service encodes each turn alone: same vectors within 1e-6)
    vec = dict(zip(sorted(texts), encoder.encode(sorted(texts), 64), strict=True))
    ranks: dict[str, list[int | None]] = defaultdict(list)
    sweep_pos: dict[float, list[int | None]] = defaultdict(list)
    sweep_neg: dict[float, list[int]] = defaultdict(list)
    rows = []

    def related(c: Case, text: str, min_score: float | None = None) -> list[tuple[str, float]]:
        # what AgentAssist.assist() does with the turn: one vector of its embedding text
        # (redacted, digits masked, as the index embeds events), then related()
        hv = assist.history_vector(text, vec[assist.embedding_text(text)])
        got = assist.related(c.customer_id, hv, c.conversation_id, min_score=min_score)
        return [(r.event_id, r.score) for r in got]

    for c, neg in zip(cases, negatives, strict=True):
        served = related(c, c.query)
        unfiltered = related(c, c.query, min_score=-1.0)
        shown_neg = related(c, neg, min_score=-1.0)
        for t in THRESHOLDS:
            sweep_pos[t].append(_rank([i for i, s in unfiltered if s >= t], c.planted_id))
            sweep_neg[t].append(sum(s >= t for _, s in shown_neg))
        cands = [
            e
            for e in by_customer[c.customer_id]
            if e.type not in NOT_HISTORY
            and (e.attributes or {}).get("conversation_id") != c.conversation_id
        ]
        ids = [e.id for e in cands]
        ts = np.array([e.ts.timestamp() for e in cands])
        dense = np.array([float(vec[e.text] @ vec[c.query]) for e in cands])
        bm = bm25s.BM25()
        bm.index(_tok([e.text for e in cands]), show_progress=False)
        bm25 = np.asarray(bm.get_scores(_tok([c.query])[0]), dtype=np.float64)
        rrf = np.zeros(len(cands))  # reciprocal rank fusion, k = 60 (the usual constant)
        for scores, positive in ((dense, False), (bm25, True)):
            for pos, i in enumerate(_order(scores, ts, positive)):
                rrf[i] += 1 / (61 + pos)
        bm_max = float(bm25.max()) if len(bm25) and bm25.max() > 0 else 1.0
        got: dict[str, int | None] = {
            "product": _rank([i for i, _ in served], c.planted_id),
            "bm25": _rank([ids[i] for i in _order(bm25, ts)], c.planted_id),
            "dense": _rank([ids[i] for i in _order(dense, ts, False)], c.planted_id),
            "product_exact_copy": _rank([i for i, _ in related(c, c.planted_text)], c.planted_id),
            "product_no_threshold": _rank([i for i, _ in unfiltered], c.planted_id),
            "rrf_dense_bm25": _rank([ids[i] for i in _order(rrf, ts)], c.planted_id),
            "dense_plus_0.1_bm25": _rank(
                [ids[i] for i in _order(dense + 0.1 * bm25 / bm_max, ts, False)], c.planted_id
            ),
        }
        for k, v in got.items():
            ranks[k].append(v)
        score = next((x for i, x in unfiltered if i == c.planted_id), None)
        rows.append({**asdict(c), "candidates": len(cands), "planted_score": score, "ranks": got})
    store.close()
    zero = [i for i, c in enumerate(cases) if c.overlap == 0]
    return {
        "customers": len(cases),
        "events": len(history.events),
        "candidates_per_customer": round(float(np.mean([r["candidates"] for r in rows])), 1),
        "index_build_s": round(build_s, 1),
        "mean_overlap": round(float(np.mean([c.overlap for c in cases])), 3),
        "zero_overlap_cases": len(zero),
        "systems": {k: _metrics(v) for k, v in ranks.items()},
        "zero_overlap": {k: _metrics([v[i] for i in zero]) for k, v in ranks.items()},
        "by_kind": {
            kind: {
                k: _metrics([v[i] for i, c in enumerate(cases) if c.kind == kind])
                for k, v in ranks.items()
            }
            for kind in ("chat", "email", "phone")
        },
        "threshold_sweep": [
            {
                "min_score": t,
                "recall@3": _metrics(sweep_pos[t])["recall@3"],
                "shown_when_unrelated": round(float(np.mean(sweep_neg[t])), 2),
                "any_shown_when_unrelated": round(float(np.mean([n > 0 for n in sweep_neg[t]])), 3),
            }
            for t in THRESHOLDS
        ],
        "misses": [r for r in rows if r["ranks"]["product"] is None or r["ranks"]["product"] > 3],
    }


def run(
    encoder: Encoder, customers: int = 300, seed: int = 11, workdir: Path | None = None
) -> dict[str, Any]:
    history, cases = build(customers, seed)
    db = (workdir or ROOT / "bench/cache/retrieval") / "related_quality.db"
    out = evaluate(history, cases, encoder, db, seed)
    out["seed"] = seed
    out["sources"] = [str(p.relative_to(ROOT)) for p in SOURCES]
    out["examples"] = [
        {"intent": c.intent, "kind": c.kind, "planted": c.planted_text, "query": c.query}
        for c in cases[:5]
    ]
    return out


# ---------------------------------------------------------------- report

EXTRA = {
    "product_no_threshold": f"product without its `min_score` {RELATED_MIN_SCORE} cut",
    "dense_plus_0.1_bm25": "dense + 0.1 x BM25/max (the reply ranker's case-field weights)",
    "rrf_dense_bm25": "reciprocal-rank fusion of dense and BM25 (k = 60)",
}


def _ci(p: float, n: int) -> str:
    return f"± {1.96 * (p * (1 - p) / max(1, n)) ** 0.5:.3f}"


def _row(label: str, m: dict[str, float]) -> str:
    return (
        f"| {label} | {m['recall@1']:.3f} | **{m['recall@3']:.3f}** {_ci(m['recall@3'], int(m['n']))}"
        f" | {m['recall@5']:.3f} | {m['mrr@5']:.3f} |"
    )


def render_quality(q: dict[str, Any]) -> list[str]:
    sy = q["systems"]
    goal = sy["product"]["recall@3"] >= 0.9
    head = [
        "| system | recall@1 | recall@3 (95 % CI) | recall@5 | MRR@5 |",
        "|---|---|---|---|---|",
    ]
    lines = [
        "### Quality: the planted earlier conversation or event",
        "",
        f"{q['customers']} customers ({q['events']:,} events, seed {q['seed']}); each search ranks"
        f" about {q['candidates_per_customer']:.0f} candidate events of one customer. How the set",
        "is made: bench/retrieval_related.py (module doc) and docs/benchmarks.md. In short: the",
        "planted item is one held-out utterance of an intent (data/intents test/valid), said in an",
        "earlier chat, an e-mail or a call; the current turn is ANOTHER utterance of the same",
        f"intent (content-word Jaccard <= 0.5, mean {q['mean_overlap']:.2f}); the distractors are the",
        "customer's journey (orders, deliveries, views...) and 6 chats + 2 e-mails/calls about",
        "other intents.",
        "",
        *head,
        *(_row(LABELS[k], sy[k]) for k in SYSTEMS),
        "",
        f"Goal (benchmarks.md): product recall@3 >= 0.9: **{'met' if goal else 'not met'}**"
        f" ({sy['product']['recall@3']:.3f}). MRR@5: the service shows 5 items, so a planted item",
        "below rank 5 counts 0 for every system.",
        "",
        "Controls:",
        f"- exact copy (the planted text as the query): product recall@1"
        f" {sy['product_exact_copy']['recall@1']:.3f}, recall@3 {sy['product_exact_copy']['recall@3']:.3f};",
        f"- the {q['zero_overlap_cases']} turns sharing no content word with the planted item,"
        " recall@3: "
        + ", ".join(f"{SHORT[k]} {q['zero_overlap'][k]['recall@3']:.3f}" for k in SYSTEMS)
        + ";",
        "- product recall@3 by how the planted item was said: "
        + ", ".join(
            f"{kind} {v['product']['recall@3']:.3f} (n={v['product']['n']})"
            for kind, v in q["by_kind"].items()
        )
        + ".",
        "",
        "Where the product loses recall: `AgentAssist.related` drops hits below a cosine of",
        f"`min_score` = {RELATED_MIN_SCORE}, and MiniLM scores many true paraphrases of short, misspelt turns",
        "0.2-0.3. The cut is meant to keep unrelated history off the panel; the second column",
        "below is the price, measured with a turn about a problem this customer never raised",
        "(an intent none of their events has): items the panel still shows.",
        "",
        "| min_score | recall@3 | items shown for an unrelated turn (of 5) | unrelated turns showing any |",
        "|---|---|---|---|",
        *(
            f"| {t['min_score']}{' (product)' if t['min_score'] == RELATED_MIN_SCORE else ''} | {t['recall@3']:.3f}"
            f" | {t['shown_when_unrelated']:.2f} | {t['any_shown_when_unrelated']:.3f} |"
            for t in q["threshold_sweep"]
        ),
        "",
        "Alternatives measured on the same candidates (not the product):",
        "",
        *head,
        *(_row(label, sy[k]) for k, label in EXTRA.items()),
        "",
    ]
    return lines


def render_scale(s: dict[str, Any]) -> list[str]:
    def p(m: dict[str, float], unit: str = "ms") -> str:
        return f"p50 {m['p50']} {unit}, **p99 {m['p99']} {unit}** (max {m['max']}, n={m['n']})"

    return [
        f"### At scale: {s['bulk_events']:,} events + {s['conversations']:,} conversations",
        "",
        f"{s['events']:,} events in all ({s['chat_events']:,} `chat_*`), {s['customers']:,} customers;"
        f" {s['heavy_customers']} heavy customers hold a median of"
        f" {s['heavy_history_events']['median']} events (largest history {s['max_history_events']}).",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| per-customer search, `LiveIndex.search_customer` top-20 (vector given) | {p(s['search_customer_ms'])} | <= 10 ms |",
        f"| same, heavy customers | {p(s['search_customer_heavy_ms'])} | <= 10 ms |",
        f"| `AgentAssist.related` (search + store read of the hits) | {p(s['related_ms'])} | |",
        f"| same, heavy customers | {p(s['related_heavy_ms'])} | |",
        f"| new chat turn written -> visible to search (sync every {s['sync_interval_s']} s, as served) | {p(s['turn_visible_ms'])} | <= 1 s |",
        f"| one sync picking up one new turn (encodes it) | {p(s['sync_one_new_turn_ms'])} | |",
        f"| one sync finding nothing new | {p(s['sync_nothing_new_ms'])} | |",
        f"| syncs of the running loop | {p(s['loop_sync_ms']) if s['loop_sync_ms'] else '-'} | |",
        f"| search while the loop runs and turns arrive | {p(s['search_during_loop_ms']) if s['search_during_loop_ms'] else '-'} | |",
        f"| a search arriving during the periodic save ({s['save_ms']:,} ms, every 60 s) | {s['search_during_save_ms']} ms | |",
        f"| `LiveIndex.open()`: build from the store + save | {s['open_s']} s ({s['open_events_per_s']:,} events/s, {s['distinct_texts']:,} distinct texts) | |",
        f"| RSS before open / after open / peak | {s['rss_mb_before_open']} / {s['rss_mb_after_open']} / {s['peak_rss_mb']} MB | |",
        f"| store fill (generator / conversations) | {s['ingest_s']['bulk']} s / {s['ingest_s']['conversations']} s | |",
        "",
        "- Per-customer search costs O(that customer's history), not O(index): the heavy",
        "  customers' p99 stays far under 10 ms; `related()` adds one store read of its 20 hits.",
        f"- A new turn becomes searchable at the next sync: up to the {s['sync_interval_s']} s interval"
        " plus one sync",
        f"  (p50 {s['loop_sync_ms']['p50'] if s['loop_sync_ms'] else '-'} ms). A sync that finds"
        f" nothing costs {s['sync_nothing_new_ms']['p50']} ms (p50).",
        f"- `LiveIndex.save()` writes the files ({s['save_ms']:,} ms here) outside the index lock"
        " (only the snapshot is taken",
        f"  under it): a search arriving during a save took {s['search_during_save_ms']} ms.",
        "",
    ]


def render(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Related history",
        "",
        f"Run {r['date']} on {r['machine']}, {r['seconds']} s. Reproduce: `{r['command']}`.",
        "",
    ]
    if r.get("quality"):
        lines += render_quality(r["quality"])
    if r.get("plot"):
        lines += [f"![related history: recall and the min_score trade-off]({r['plot']})", ""]
    if r.get("scale"):
        lines += render_scale(r["scale"])
    return lines


def plot(q: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    names = [*SYSTEMS, "product_no_threshold"]
    labels = ["product", "BM25", "dense", "product,\nno cut"]
    x = np.arange(len(names))
    for i, (metric, color) in enumerate((("recall@3", "tab:blue"), ("mrr@5", "tab:orange"))):
        bars = ax.bar(
            x + (i - 0.5) * 0.38,
            [q["systems"][n][metric] for n in names],
            0.38,
            label=metric,
            color=color,
        )
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    ax.axhline(0.9, color="gray", ls="--", lw=1, label="goal recall@3 0.9")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylim(0, 1.18)
    ax.set_title(
        f"Planted item among {q['candidates_per_customer']:.0f} events ({q['customers']} customers)"
    )
    ax.legend(fontsize=8, loc="upper center", ncol=3)
    sw = q["threshold_sweep"]
    bx.plot([t["shown_when_unrelated"] for t in sw], [t["recall@3"] for t in sw], "o-")
    for t in sw:
        bx.annotate(
            str(t["min_score"]),
            (t["shown_when_unrelated"], t["recall@3"]),
            fontsize=8,
            xytext=(4, -10),
            textcoords="offset points",
        )
    bx.set_xlabel("items shown for an unrelated turn (of 5)")
    bx.set_ylabel("product recall@3")
    bx.set_title("product's min_score: recall vs unrelated items shown")
    bx.axhline(0.9, color="gray", ls="--", lw=1)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
