"""Related history across languages: does a Chinese turn bring back the customer's earlier
English e-mail about the same problem (and an English turn a Chinese one)? And what does the
multilingual history encoder cost or gain on English alone? (benchmarks.md, "Related history
across languages")

    python -m bench.retrieval --only related_zh [--quick]

The labelled set is made as bench/retrieval_related.py makes its own (read its module doc),
with two languages. The utterances are the held-out intent data of each language
(`data/intents/test.csv` + `valid.csv`; `data/intents/zh/test.csv` + `valid.csv`), grouped by
intent. Each customer gets a direction, in turn:
- `zh->en`: the current turn is Chinese, the planted earlier item English;
- `en->zh`: the current turn English, the planted item Chinese;
- `zh->zh`: both Chinese (two different utterances of the intent, character-bigram Jaccard
  <= 0.5), the control without a language gap.
Every distractor (6 conversations, 2 e-mails / calls, each about another intent) is English
or Chinese at random, so a bilingual customer's history is mixed and the planted item is
not the only one in its language. Conversations in Chinese carry the bot's Chinese replies
(the `language: zh` variations of rasa_bot/domain.yml).

Systems, on the same candidates:
- **product, multilingual history** (`AgentAssist.related` over an index built with
  multilingual-e5-small, the encoder `history_encoder=auto` chooses when the service
  answers in Chinese), with its measured cut `related_cut()`;
- product, base history (the MiniLM index, `history_encoder=base`), with its cut;
- BM25 with the product's Chinese tokeniser (jieba; it keeps English words too).
Then the same comparison on bench/retrieval_related.py's English-only set: what the
multilingual encoder does to English history. The cut of each encoder is swept: recall@3
against the items the panel shows for a turn about a problem the customer never raised.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml

from bench.retrieval_related import (
    ROOT,
    SMALL_TALK,
    SOURCES,
    Timeline,
    _metrics,
    _order,
    _rank,
    utterances,
)
from bench.retrieval_related import build as build_english
from intent.encoder import Encoder, encoder_name
from intent.multilingual_encoder import NAME, NEUTRAL_NAME, LanguageNeutralEncoder
from retrieval.assist import NOT_HISTORY, AgentAssist
from retrieval.demo.generate import write
from retrieval.demo.history_builder import History, load_phrases, random_customer
from retrieval.index import HistoryIndex
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import EventIn
from retrieval.store import SqlHistoryStore
from retrieval.tokenizers import tokenizer_for

ZH_SOURCES = (ROOT / "data/intents/zh/test.csv", ROOT / "data/intents/zh/valid.csv")
DIRECTIONS = (("zh", "en"), ("en", "zh"), ("zh", "zh"))  # (current turn, planted item)
# cuts swept per encoder (their cosines live in different ranges)
SWEEPS = {
    NAME: (0.0, 0.76, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88),
    NEUTRAL_NAME: (0.0, 0.8, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.92),
    "base": (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4),
}


@dataclass(frozen=True, slots=True)
class Case:
    customer_id: str
    intent: str
    direction: str  # "zh->en": a Chinese turn, an English planted item
    kind: str  # chat / email / phone
    planted_id: str
    planted_text: str
    query: str
    conversation_id: str
    query_language: str


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _distinct(pool: list[str], rng: random.Random) -> tuple[str, str]:
    """Two utterances of one Chinese intent that do not share most of their wording."""
    for _ in range(200):
        p, q = rng.sample(pool, 2)
        x, y = _bigrams(p), _bigrams(q)
        if x | y and len(x & y) / len(x | y) <= 0.5:
            return p, q
    raise ValueError(f"no distinct pair in {pool[:3]}...")


def bot_replies(language: str, bot: Path = ROOT / "rasa_bot") -> dict[str, str]:
    """intent -> the demo bot's reply in `language` (the response's variation with the
    `language` slot condition for zh, the plain one for en)."""
    domain = yaml.safe_load((bot / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((bot / "data/rules.yml").read_text(encoding="utf-8"))
    fallback = "我帮您查一下。" if language == "zh" else "Let me check that for you."

    def text(variants: list[dict[str, Any]]) -> str | None:
        for v in variants:
            cond = v.get("condition") or []
            says = [c.get("value") for c in cond if c.get("name") == "language"]
            if (language == "en" and not cond) or language in says:
                return str(v["text"])
        return None

    out: dict[str, str] = {}
    for rule in rules.get("rules", []):
        steps = rule.get("steps", [])
        if len(steps) >= 2 and "intent" in steps[0] and "action" in steps[1]:
            variants = domain.get("responses", {}).get(steps[1]["action"]) or []
            out.setdefault(steps[0]["intent"], text(variants) or fallback)
    return out


def pools() -> dict[str, dict[str, list[str]]]:
    return {"en": utterances(SOURCES), "zh": utterances(ZH_SOURCES)}


def build(
    customers: int,
    seed: int = 17,
    distractor_chats: int = 6,
    distractor_events: int = 2,
    now: datetime | None = None,
) -> tuple[History, list[Case]]:
    """The bilingual labelled set: `customers` customers, one case each (module doc)."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    phrases = load_phrases()
    pool = pools()
    common = set(pool["en"]) & set(pool["zh"])
    problems = sorted(common - SMALL_TALK)
    others = [*problems, "out_of_scope"] if "out_of_scope" in common else problems
    small = {lang: {k: pool[lang][k] for k in ("greet", "thank_you")} for lang in pool}
    bots = {lang: bot_replies(lang) for lang in pool}
    seq = iter(range(900_000, 10**9))
    history = History()
    cases: list[Case] = []
    for k in range(customers):
        q_lang, p_lang = DIRECTIONS[k % len(DIRECTIONS)]
        cid = f"X-{k + 1:05d}"
        h = random_customer(cid, now, rng, phrases, seq)
        own = {e.intent for e in h.events if e.intent}
        intent = rng.choice([p for p in problems if p not in own])
        if q_lang == p_lang:
            planted, query = _distinct(pool[p_lang][intent], rng)
        else:
            planted, query = rng.choice(pool[p_lang][intent]), rng.choice(pool[q_lang][intent])
        tl = Timeline(cid, rng, bots["en"])
        topics = rng.sample(
            [o for o in others if o != intent and o not in own],
            distractor_chats + distractor_events,
        )
        for i, topic in enumerate(topics):
            lang = rng.choice(("en", "zh"))
            at = now - timedelta(days=rng.uniform(0.5, 365))
            text = rng.choice(pool[lang][topic])
            tl.bot = bots[lang]
            if i < distractor_chats:
                tl.chat(f"conv-{cid}-{i}", at, text, topic, small[lang])
            else:
                tl.said(rng.choice(["email", "phone"]), at, text)
        kind = rng.choices(["chat", "email", "phone"], [0.6, 0.2, 0.2])[0]
        at = now - timedelta(days=rng.uniform(1, 300))
        tl.bot = bots[p_lang]
        if kind == "chat":
            pid = tl.chat(f"conv-{cid}-planted", at, planted, intent, small[p_lang])
        else:
            pid = tl.said(kind, at, planted)
        current = f"conv-{cid}-now"
        start = now - timedelta(minutes=3)
        greet = rng.choice(small[q_lang]["greet"])
        tl.event("chat", "chat_customer", start, greet, conversation_id=current)
        tl.event("chat", "chat_bot", start, bots[q_lang].get("greet", ""), conversation_id=current)
        tl.event(
            "chat", "chat_customer", now - timedelta(minutes=1), query, conversation_id=current
        )
        h.events += tl.events
        history.extend(h)
        text = next(e.text for e in tl.events if e.id == pid)
        cases.append(
            Case(cid, intent, f"{q_lang}->{p_lang}", kind, pid, text, query, current, q_lang)
        )
    return history, cases


def _negative(
    cid: str, events: list[EventIn], intent: str, pool: Mapping[str, list[str]], seed: int
) -> str:
    """A turn in the case's language about a problem this customer never raised."""
    said = {e.text for e in events}
    seen = {i for i in pool if any(t in said for t in pool[i])} | {intent}
    seen |= {e.intent for e in events if e.intent}
    rng = random.Random(f"{seed}/{cid}")
    return rng.choice(pool[rng.choice(sorted(set(pool) - SMALL_TALK - seen))])


@dataclass(frozen=True, slots=True)
class Setup:
    """A way to serve related history: the base index's encoder, and a language's own
    index's encoder (the served setup: `{"zh": language-neutral e5}`)."""

    base: Encoder
    own: Mapping[str, Encoder] = field(default_factory=dict)


def evaluate(
    history: History,
    cases: Sequence[Case],
    setups: Mapping[str, Setup],
    workdir: Path,
    seed: int = 17,
    groups: Sequence[str] = ("zh->en", "en->zh", "zh->zh"),
) -> dict[str, Any]:
    """Write the set to a fresh SQLite store; build each encoder's history index once;
    rank the planted item with `AgentAssist.related` as each setup serves it (the turn's
    language picks the index; that index's measured cut), and without a cut for the
    sweep; BM25 ranks the same candidates."""
    db = workdir / "related_zh.db"
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    store = SqlHistoryStore.open(f"sqlite:///{db}")
    write(history, store)
    by_customer: dict[str, list[EventIn]] = defaultdict(list)
    for e in history.events:
        by_customer[e.customer_id].append(e)
    pool = pools()
    negatives = [
        _negative(c.customer_id, by_customer[c.customer_id], c.intent, pool[c.query_language], seed)
        for c in cases
    ]
    built: dict[str, HistoryIndex] = {}
    build_s: dict[str, float] = {}

    def index_of(encoder: Encoder) -> HistoryIndex:
        name = encoder_name(encoder)
        if name not in built:
            t0 = time.perf_counter()
            built[name] = HistoryIndex.rebuild(store, encoder)
            build_s[name] = round(time.perf_counter() - t0, 1)
        return built[name]

    ranks: dict[str, list[int | None]] = defaultdict(list)
    sweeps: dict[str, dict[str, list[dict[str, float]]]] = {}
    cuts: dict[str, dict[str, float]] = {}
    bank = load_bank()
    for name, setup in setups.items():
        assist = AgentAssist(
            store,
            HybridRanker(bank, setup.base),
            index=index_of(setup.base),
            indexes={lang: index_of(enc) for lang, enc in setup.own.items()},
        )
        langs = sorted({c.query_language for c in cases})
        cuts[name] = {lang: assist.cuts(lang)[0] for lang in langs}
        pos: dict[tuple[str, float], list[int | None]] = defaultdict(list)
        neg: dict[tuple[str, float], list[int]] = defaultdict(list)
        grids = {
            lang: SWEEPS.get(encoder_name(assist.history_encoder(lang)), SWEEPS["base"])
            for lang in langs
        }
        for c, negative in zip(cases, negatives, strict=True):
            lang = c.query_language
            hv = assist.history_vector(c.query, language=lang)
            served = assist.related(c.customer_id, hv, c.conversation_id, language=lang)
            ranks[name].append(_rank([r.event_id for r in served], c.planted_id))
            full = assist.related(
                c.customer_id, hv, c.conversation_id, min_score=-1.0, language=lang
            )
            ranks[f"{name}_no_cut"].append(_rank([r.event_id for r in full], c.planted_id))
            nv = assist.history_vector(negative, language=lang)
            shown = assist.related(c.customer_id, nv, None, min_score=-1.0, language=lang)
            for t in grids[lang]:
                hits = [r.event_id for r in full if r.score >= t]
                pos[lang, t].append(_rank(hits, c.planted_id))
                neg[lang, t].append(sum(r.score >= t for r in shown))
        sweeps[name] = {
            lang: [
                {
                    "min_score": t,
                    "recall@3": _metrics(pos[lang, t])["recall@3"],
                    "shown_when_unrelated": round(float(np.mean(neg[lang, t])), 2),
                    "any_shown_when_unrelated": round(
                        float(np.mean([n > 0 for n in neg[lang, t]])), 3
                    ),
                }
                for t in grids[lang]
            ]
            for lang in langs
        }
    tokenize = tokenizer_for("zh")
    for c in cases:
        cands = [
            e
            for e in by_customer[c.customer_id]
            if e.type not in NOT_HISTORY
            and (e.attributes or {}).get("conversation_id") != c.conversation_id
        ]
        bm = bm25s.BM25()
        bm.index([tokenize([e.text])[0] or ["∅"] for e in cands], show_progress=False)
        q = tokenize([c.query])[0]
        scores = np.asarray(bm.get_scores(q), dtype=np.float64) if q else np.zeros(len(cands))
        ts = np.array([e.ts.timestamp() for e in cands])
        ranks["bm25"].append(_rank([cands[i].id for i in _order(scores, ts)], c.planted_id))
    store.close()
    by_group = {
        g: {
            k: _metrics([v[i] for i, c in enumerate(cases) if c.direction == g])
            for k, v in ranks.items()
        }
        for g in groups
    }
    return {
        "customers": len(cases),
        "events": len(history.events),
        "index_build_s": build_s,
        "cuts": cuts,
        "systems": {k: _metrics(v) for k, v in ranks.items()},
        "by_direction": by_group,
        "threshold_sweep": sweeps,
    }


class Remembered:
    """An encoder that embeds each distinct text once (the raw and the language-neutral
    e5 indexes share the passes); same name, same vectors."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.name = encoder_name(encoder)
        self.dim = encoder.dim
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if new:
            self._seen.update(zip(new, self.encoder.encode(new, batch_size), strict=True))
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._seen[t] for t in texts]).astype(np.float32)


def setups(base: Encoder, multilingual: Encoder) -> dict[str, Setup]:
    """The served setup and the alternatives, from the two encoders."""
    multilingual = Remembered(multilingual)
    neutral = LanguageNeutralEncoder.load(multilingual)
    return {
        "served": Setup(base, {"zh": neutral}),
        "base_only": Setup(base),
        "e5_only": Setup(multilingual),
        "neutral_only": Setup(neutral),
    }


def run(
    base: Encoder,
    multilingual: Encoder,
    customers: int = 300,
    seed: int = 17,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Both sets: the bilingual one (this module) and the English one
    (bench/retrieval_related.py's, same seed as its own section)."""
    workdir = workdir or ROOT / "bench/cache/retrieval"
    history, cases = build(customers, seed)
    plan = setups(base, multilingual)
    out: dict[str, Any] = {"seed": seed, "sources": [str(p.relative_to(ROOT)) for p in ZH_SOURCES]}
    out["bilingual"] = evaluate(history, cases, plan, workdir, seed)
    out["examples"] = [
        {"direction": c.direction, "kind": c.kind, "planted": c.planted_text, "query": c.query}
        for c in cases[:6]
    ]
    en_history, en_cases = build_english(customers, 11)
    english = [
        Case(
            c.customer_id,
            c.intent,
            "en->en",
            c.kind,
            c.planted_id,
            c.planted_text,
            c.query,
            c.conversation_id,
            "en",
        )
        for c in en_cases
    ]
    out["english"] = evaluate(en_history, english, plan, workdir, 11, groups=("en->en",))
    return out


# ---------------------------------------------------------------- report

LABELS = {
    "served": "**product as served**: MiniLM index, Chinese turns their own language-neutral e5 index",
    "base_only": "one MiniLM index for every turn (`multilingual_history=off`)",
    "e5_only": "one multilingual-e5 index for every turn, raw vectors",
    "neutral_only": "one language-neutral e5 index for every turn",
    "bm25": "BM25 (jieba + English words)",
}
SHORT = {
    "served": "served",
    "base_only": "MiniLM only",
    "e5_only": "e5 raw",
    "neutral_only": "e5 neutral",
    "bm25": "BM25",
}


def _cell(m: dict[str, float]) -> str:
    return f"{m['recall@3']:.3f} / {m['mrr@5']:.3f}"


def _table(bi: dict[str, Any], en: dict[str, Any], suffix: str) -> list[str]:
    dirs = list(bi["by_direction"])
    lines = [
        "| setup | " + " | ".join(dirs) + " | en->en (English set) |",
        "|---" * (len(dirs) + 2) + "|",
    ]
    for k, label in LABELS.items():
        key = k if k == "bm25" else k + suffix
        if key not in bi["systems"] or (suffix and k == "bm25"):
            continue
        lines.append(
            f"| {label} | "
            + " | ".join(_cell(bi["by_direction"][d][key]) for d in dirs)
            + f" | {_cell(en['systems'][key])} |"
        )
    return lines


def render(r: dict[str, Any]) -> list[str]:
    bi, en = r["bilingual"], r["english"]
    cuts = bi["cuts"]["served"]
    lines = [
        "## Related history across languages",
        "",
        f"Run {r['date']} on {r['machine']}, {r['seconds']} s. Reproduce: `{r['command']}`.",
        "",
        f"{bi['customers']} bilingual customers ({bi['events']:,} events, seed {r['seed']}),",
        "a third per direction (`zh->en`: a Chinese turn, the planted earlier item English);",
        "every distractor English or Chinese at random. The English-only set is the",
        f'"Related history" section\'s ({en["customers"]} customers, seed 11). How both are made:',
        "bench/retrieval_related_zh.py (module doc). Cells: recall@3 / MRR@5, each setup with",
        f"its measured cuts (served: English turns {cuts.get('en')}, Chinese turns {cuts.get('zh')}).",
        "",
        *_table(bi, en, ""),
        "",
        "Without any cut (what each index can find at all):",
        "",
        *_table(bi, en, "_no_cut"),
        "",
        "- multilingual-e5 alone scores any two texts in one language above a Chinese and an",
        "  English text about the same problem: a Chinese turn ranks the customer's Chinese",
        "  chats about other things above the English e-mail about its own. Projecting out",
        "  the direction along which the two languages differ",
        "  (`data/retrieval/language_direction.json`, from the demo's training turns) removes",
        "  most of that bias.",
        "- English turns keep the MiniLM index: it finds English history better than either",
        "  e5 index (last column), and costs no second encoder pass. The price: an English",
        "  turn does not find a Chinese note (`en->zh`); `neutral_only` would, at the cost",
        "  of English recall and one e5 pass per English turn.",
        "",
        "Index build (every event of the bilingual set embedded): "
        + ", ".join(f"{k} {v} s" for k, v in bi["index_build_s"].items())
        + f" ({bi['events']:,} events; the raw e5 index reuses the language-neutral one's"
        " encoder passes, so its time is the index alone).",
        "",
        "The language-neutral index's cut for Chinese turns, swept (its own setup, Chinese turns",
        "of the bilingual set): recall@3 against the items the panel still shows for a turn",
        "about a problem the customer never raised.",
        "",
        "| min_score | recall@3 | shown when unrelated (of 5) | unrelated turns showing any |",
        "|---|---|---|---|",
    ]
    for t in bi["threshold_sweep"]["neutral_only"].get("zh", []):
        mark = " (served)" if t["min_score"] == cuts.get("zh") else ""
        lines.append(
            f"| {t['min_score']}{mark} | {t['recall@3']:.3f} | {t['shown_when_unrelated']:.2f}"
            f" | {t['any_shown_when_unrelated']:.3f} |"
        )
    lines.append("")
    return lines


def plot(r: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bi, en = r["bilingual"], r["english"]
    dirs = list(bi["by_direction"])
    systems = [k for k in LABELS if k in bi["systems"]]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 4.4), gridspec_kw={"width_ratios": [2, 1]})
    x = np.arange(len(dirs) + 1)
    w = 0.8 / len(systems)
    for i, k in enumerate(systems):
        vals = [bi["by_direction"][d][k]["recall@3"] for d in dirs] + [en["systems"][k]["recall@3"]]
        bars = ax.bar(x + (i - (len(systems) - 1) / 2) * w, vals, w, label=SHORT[k])
        ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=2)
    names = {"zh->en": "zh turn,\nen history", "en->zh": "en turn,\nzh history"}
    names["zh->zh"] = "zh turn,\nzh history"
    ax.set_xticks(x, [names.get(d, d) for d in dirs] + ["English\nonly"], fontsize=8)
    ax.set_ylim(0, 1.18)
    ax.set_ylabel("recall@3 of the planted item")
    ax.set_title("Related history across languages (each setup's cuts)")
    ax.legend(fontsize=7, loc="upper center", ncol=len(systems))
    sw = [t for t in bi["threshold_sweep"]["neutral_only"].get("zh", []) if t["min_score"] > 0]
    bx.plot([t["shown_when_unrelated"] for t in sw], [t["recall@3"] for t in sw], "o-")
    for t in sw:
        bx.annotate(
            str(t["min_score"]),
            (t["shown_when_unrelated"], t["recall@3"]),
            fontsize=7,
            xytext=(4, -9),
            textcoords="offset points",
        )
    bx.set_xlabel("items shown for an unrelated turn (of 5)")
    bx.set_ylabel("recall@3, Chinese turns")
    bx.set_title("language-neutral e5: the cut")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
