"""Journey-stage inference from the current intent AND the history, with recency weighting.

The model is a transparent additive score configured in a stage model's `stages.yml` (see
its header; `data/journey/model.yml` says which model is active: the seven `lifecycle`
stages or the `5a` ones, retrieval/stage_models.py): every intent, event and current fact
adds weight to some stages; history decays with a half-life; the best stage wins and the
contributions behind it are returned as evidence, so an agent can see WHY the customer is
in that stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import ConfigError
from retrieval.schemas import Event, Order, Ticket
from retrieval.stage_models import resolve

CONDITIONS = ("open_ticket", "open_order", "recent_delivery", "has_orders")


@dataclass(frozen=True, slots=True)
class DialogueTurn:
    """An earlier customer turn of the conversation being answered."""

    turn_id: str
    intent: str
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    # "intent" (the current turn), "dialogue" (an earlier turn of this conversation),
    # "past_chat" (a turn of an earlier conversation), "event" (other history) or "state"
    kind: str
    name: str  # intent label, event type or state name
    stage: str  # the stage it supports
    weight: float  # its contribution to that stage's score
    ref: str | None = None  # event / order / ticket id
    ts: datetime | None = None  # when it happened (events)
    text: str | None = None  # short description for the agent


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: str
    confidence: float  # share of the total score held by `stage`, in [0, 1]
    scores: dict[str, float]  # every stage's score
    evidence: list[Evidence] = field(default_factory=list)  # what decided `stage`, largest first
    model: str | None = None  # the stage model (data/journey/model.yml); None: a custom config
    label: str = ""  # `stage` for people, English and Chinese: "Ask · 问询"


@dataclass(frozen=True, slots=True)
class StageName:
    """How people see a stage (`display` of stages.yml)."""

    name: str  # the stage, as in rules and the API: "ask"
    en: str  # "Ask"
    zh: str = ""  # "问询"; empty: none given

    @property
    def label(self) -> str:
        """English · Chinese, e.g. "Ask · 问询" (just "Ask" without a Chinese name)."""
        return f"{self.en} · {self.zh}" if self.zh else self.en


def _display(raw: Any, stages: Sequence[str], where: str) -> dict[str, StageName]:
    """`display: {stage: {en, zh}}`; a stage it leaves out is shown as its name, capitalised."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ConfigError(where, "display: expected a map stage -> {en: ..., zh: ...}")
    unknown = [str(s) for s in raw if s not in stages]
    if unknown:
        raise ConfigError(where, f"display: unknown stage(s) {unknown}; the stages are {stages}")
    out: dict[str, StageName] = {}
    for s in stages:
        spec = raw.get(s) or {}
        if not isinstance(spec, Mapping) or set(spec) - {"en", "zh"}:
            raise ConfigError(where, f"display.{s}: expected {{en: <English>, zh: <Chinese>}}")
        en = str(spec.get("en") or s.replace("_", " ").capitalize())
        out[s] = StageName(s, en, str(spec.get("zh") or ""))
    return out


@dataclass(frozen=True, slots=True)
class JourneyConfig:
    stages: list[str]
    intents: dict[str, dict[str, dict[str, float]]]  # intent -> condition -> stage -> weight
    events: dict[str, dict[str, float]]
    state: dict[str, dict[str, float]]
    current_intent: float = 3.0
    half_life_days: float = 5.0
    horizon_days: float = 120.0
    history_intent: float = 1.0
    dialogue_intent: float = 2.0
    dialogue_decay: float = 0.7
    recent_delivery_days: float = 7.0
    open_ticket_weight: float = 1.5
    model: str | None = None  # the stage model's name (data/journey/model.yml); None: custom
    display: dict[str, StageName] = field(default_factory=dict)  # stage -> names for people

    @classmethod
    def load(
        cls, path: str | Path | None = None, *, model: str | None = None, source: str = ""
    ) -> JourneyConfig:
        """`path`: a stages file (named `model` if given); None: the stages.yml of the
        stage model `model` of data/journey/model.yml (None: its active model). `source`:
        where `model` came from, for the error when it is unknown."""
        if path is None:
            entry = resolve(model, source=source)
            path, model = entry.stages_file, entry.name
        p = Path(path)
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(p), str(exc)) from exc
        return cls.from_dict(doc, str(p), model)

    @classmethod
    def from_dict(
        cls, doc: Mapping[str, Any], where: str = "<config>", model: str | None = None
    ) -> JourneyConfig:
        stages = [str(s) for s in doc.get("stages") or []]
        if not stages:
            raise ConfigError(where, "`stages` must list at least one stage")
        twice = sorted({s for s in stages if stages.count(s) > 1})
        if twice:
            raise ConfigError(where, f"`stages` lists {twice} more than once")
        named = f"the {model} model's" if model else "its"

        def stage_map(m: Any, ctx: str) -> dict[str, float]:
            if not isinstance(m, Mapping):
                raise ConfigError(where, f"{ctx}: expected a map stage -> weight")
            for s in m:
                if s not in stages:
                    raise ConfigError(
                        where, f"{ctx}: unknown stage {s!r}; {named} stages are {stages}"
                    )
            return {str(s): float(w) for s, w in m.items()}

        intents: dict[str, dict[str, dict[str, float]]] = {}
        for name, entry in (doc.get("intents") or {}).items():
            if isinstance(entry, Mapping) and any(k in entry for k in (*CONDITIONS, "default")):
                bad = set(entry) - {*CONDITIONS, "default"}
                if bad:
                    raise ConfigError(where, f"intents.{name}: unknown condition(s) {sorted(bad)}")
                intents[name] = {c: stage_map(m, f"intents.{name}.{c}") for c, m in entry.items()}
            else:
                intents[name] = {"default": stage_map(entry, f"intents.{name}")}
        events = {k: stage_map(v, f"events.{k}") for k, v in (doc.get("events") or {}).items()}
        raw_state = dict(doc.get("state") or {})
        ticket_weight = float(raw_state.pop("open_ticket_weight", 1.5))
        state = {
            k: stage_map(v, f"state.{k}") if v != "by_topic" else {} for k, v in raw_state.items()
        }
        w = doc.get("weights") or {}
        return cls(
            stages=stages,
            intents=intents,
            events=events,
            state=state,
            current_intent=float(w.get("current_intent", 3.0)),
            half_life_days=float(w.get("half_life_days", 5.0)),
            horizon_days=float(w.get("horizon_days", 120.0)),
            history_intent=float(w.get("history_intent", 1.0)),
            dialogue_intent=float(w.get("dialogue_intent", 2.0)),
            dialogue_decay=float(w.get("dialogue_decay", 0.7)),
            recent_delivery_days=float(w.get("recent_delivery_days", 7.0)),
            open_ticket_weight=ticket_weight,
            model=model,
            display=_display(doc.get("display"), stages, where),
        )

    def label(self, stage: str) -> str:
        """`stage` for people: "Ask · 问询"."""
        shown = self.display.get(stage)
        return shown.label if shown is not None else stage


class JourneyModel:
    def __init__(self, config: JourneyConfig | None = None) -> None:
        self.config = config or JourneyConfig.load()

    def _intent_stages(self, intent: str, facts: set[str]) -> dict[str, float]:
        entry = self.config.intents.get(intent)
        if not entry:
            return {}
        for cond in CONDITIONS:
            if cond in facts and cond in entry:
                return entry[cond]
        return entry.get("default", {})

    def infer(
        self,
        intent: str | None,
        events: Sequence[Event] = (),
        orders: Sequence[Order] = (),
        tickets: Sequence[Ticket] = (),
        now: datetime | None = None,
        dialogue: Sequence[DialogueTurn] = (),
        conversation_id: str | None = None,
    ) -> StageResult:
        """`dialogue`: the conversation's earlier customer turns, oldest first (the most
        recent weighs most); history events said in `conversation_id` are left to it."""
        cfg = self.config
        now = now or datetime.now(UTC)
        open_orders = [o for o in orders if o.is_open]
        open_tickets = [t for t in tickets if t.is_open]
        recent = [
            o
            for o in orders
            if o.delivered_at is not None
            and now - o.delivered_at <= timedelta(days=cfg.recent_delivery_days)
        ]
        facts = set()
        if open_tickets:
            facts.add("open_ticket")
        if open_orders:
            facts.add("open_order")
        if recent:
            facts.add("recent_delivery")
        if orders:
            facts.add("has_orders")

        evidence: list[Evidence] = []

        def add(kind: str, name: str, stages: Mapping[str, float], scale: float, **kw: Any) -> None:
            for stage, w in stages.items():
                if w * scale > 0:
                    evidence.append(Evidence(kind, name, stage, round(w * scale, 4), **kw))

        if intent:
            add("intent", intent, self._intent_stages(intent, facts), cfg.current_intent)
        for back, d in enumerate(reversed(dialogue)):
            scale = cfg.dialogue_intent * cfg.dialogue_decay**back
            text = f"earlier in this chat: {d.text[:100]}"
            add(
                "dialogue",
                d.intent,
                self._intent_stages(d.intent, facts),
                scale,
                ref=d.turn_id,
                text=text,
            )
        for e in events:
            said_in = (e.attributes or {}).get("conversation_id")
            if conversation_id is not None and said_in == conversation_id:
                continue  # this conversation: counted turn by turn above
            age = (now - e.ts).total_seconds() / 86400.0
            if age > cfg.horizon_days:
                continue
            decay = 0.5 ** (max(age, 0.0) / cfg.half_life_days)
            chat = e.type.startswith("chat_")
            kind = "past_chat" if chat else "event"
            words = (e.text or e.type)[:100]
            kw = {
                "ref": e.id,
                "ts": e.ts,
                "text": f"in a chat on {e.ts:%d %b}: {words}" if chat else words,
            }
            add(kind, e.type, cfg.events.get(e.type, {}), decay, **kw)
            if e.intent:
                stages = self._intent_stages(e.intent, facts)
                add(kind, f"{e.type}:{e.intent}", stages, decay * cfg.history_intent, **kw)
        for o in open_orders:
            text = f"order {o.id} {o.status.replace('_', ' ')}"
            add("state", "open_order", cfg.state.get("open_order", {}), 1.0, ref=o.id, text=text)
        for o in recent:
            text = f"order {o.id} delivered {o.delivered_at:%Y-%m-%d}"
            add(
                "state",
                "recent_delivery",
                cfg.state.get("recent_delivery", {}),
                1.0,
                ref=o.id,
                text=text,
            )
        for t in open_tickets:
            stages = self._intent_stages(t.topic, facts - {"open_ticket"}) or cfg.state.get(
                "open_ticket_other", {"support": 1.0} if "support" in cfg.stages else {}
            )
            text = f"ticket {t.id} {t.status}: {t.topic}"
            add("state", "open_ticket", stages, cfg.open_ticket_weight, ref=t.id, text=text)
        if not evidence:
            add("state", "no_history", cfg.state.get("no_history", {cfg.stages[0]: 1.0}), 1.0)

        scores = dict.fromkeys(cfg.stages, 0.0)
        for ev in evidence:
            scores[ev.stage] += ev.weight
        order = {s: i for i, s in enumerate(cfg.stages)}
        stage = max(cfg.stages, key=lambda s: (scores[s], -order[s]))
        total = sum(scores.values())
        confidence = scores[stage] / total if total > 0 else 0.0
        decided = sorted((e for e in evidence if e.stage == stage), key=lambda e: -e.weight)
        return StageResult(
            stage,
            round(confidence, 4),
            {s: round(v, 4) for s, v in scores.items()},
            decided[:8],
            cfg.model,
            cfg.label(stage),
        )
