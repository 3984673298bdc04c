"""Marketing suppression (config: data/journey/suppression.yml): whether marketing may
reach a customer now, every reason it may not, and until when.

One pure function of the customer's consent, events, open tickets, journey stage and
`now` (`SuppressionRules.evaluate`), used by the context (`GET /v1/customers/{id}/context`),
the next best action of assist, the batch check and the watcher that fires the
`customer.suppressed` / `customer.released` webhooks, so all of them agree."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import ConfigError
from retrieval.journey import JourneyConfig
from retrieval.schemas import Event, Ticket
from retrieval.stage_models import journey_root, load_registry

RULES_FILE = "suppression.yml"  # in data/journey/, shared by the stage models
# what the customer wrote or said; its text is scored when it carries no sentiment
AUTHORED = frozenset(
    {"chat_message", "call", "email_received", "message", "social_post", "review_posted"}
)
SentimentFn = Callable[[str], float]  # text -> compound polarity in [-1, 1]
_KEYS = frozenset({"events", "open_ticket", "negative_sentiment", "frustration", "stages"})
BUILT_IN = ("opt_out", "open_ticket", "negative_sentiment", "frustration", "stage")


def normalise_type(name: str) -> str:
    """`Activation-Failed`, `activationFailed`, ` activation_failed ` -> `activation_failed`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


@dataclass(frozen=True, slots=True)
class SuppressionReason:
    reason: str  # opt_out / open_ticket / negative_sentiment / frustration / stage / a rule name
    detail: str  # one line for a person
    since: datetime | None  # when it started (None: not known, e.g. the consent)
    until: datetime | None  # when it ends by itself (None: while it holds)
    event_type: str | None = None  # the event that started it, as ingested
    event_id: str | None = None
    ticket_id: str | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    allowed: bool  # marketing may reach the customer now
    reasons: list[SuppressionReason] = field(default_factory=list)
    # when marketing is allowed again if nothing new happens; None when allowed, or when a
    # reason has no end of its own (consent, an open ticket, the stage)
    until: datetime | None = None
    at: datetime | None = None  # the `now` it was computed for

    @classmethod
    def of(cls, reasons: Iterable[SuppressionReason], at: datetime | None) -> Suppression:
        rs = list(reasons)
        if not rs:
            return cls(True, [], None, at)
        ends = [r.until for r in rs]
        until = None if any(u is None for u in ends) else max(u for u in ends if u is not None)
        return cls(False, rs, until, at)

    @property
    def texts(self) -> list[str]:
        return [r.detail for r in self.reasons]


@dataclass(frozen=True, slots=True)
class EventRule:
    name: str  # the reason code
    types: frozenset[str]  # normalised event types
    intents: frozenset[str]  # intents of customer messages
    duration: timedelta


def _days(value: Any, where: str, what: str) -> timedelta:
    try:
        days = float(value)
    except (TypeError, ValueError):
        raise ConfigError(where, f"{what}: days must be a number, got {value!r}") from None
    if days <= 0:
        raise ConfigError(where, f"{what}: days must be > 0")
    return timedelta(days=days)


def _numbers(e: Event) -> tuple[float | None, float | None]:
    """(compound, frustration) the event carries: `sentiment` as a number or as the
    analysis' mapping (`compound`, `frustration`), and `frustration`."""
    raw = e.attributes.get("sentiment")
    if isinstance(raw, Mapping):
        compound, frustration = _num(raw.get("compound")), _num(raw.get("frustration"))
    else:
        compound, frustration = _num(raw), None
    own = _num(e.attributes.get("frustration"))
    return compound, own if own is not None else frustration


def _num(v: object) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _day(ts: datetime) -> str:
    return f"{ts:%d %b %Y}"


def _stage_list(
    raw: Any,
    where: str,
    model: str | None,
    stages: Sequence[str] | None,
    models: Collection[str] | None,
) -> frozenset[str]:
    """The stages that suppress marketing under `model`. `stages:` is a list (read as
    the active model's stages) or a map model -> list, which must name every model of
    `models`; the list used is checked against `stages` (the model's stage names)."""
    if raw is None:
        return frozenset()
    if isinstance(raw, Mapping):
        if models is not None:
            unknown = sorted(str(k) for k in raw if k not in models)
            missing = sorted(m for m in models if m not in raw)
            if unknown:
                raise ConfigError(
                    where, f"stages: unknown model(s) {unknown}; the models are {sorted(models)}"
                )
            if missing:
                raise ConfigError(
                    where,
                    f"stages: no list for model(s) {missing}; add e.g. `{missing[0]}: []` "
                    "when no stage of it suppresses marketing",
                )
        if model is None:
            model = load_registry().active
        picked, what = raw.get(model) or [], f"stages.{model}"
    else:
        picked, what = raw, "stages"
    if not isinstance(picked, list | tuple):
        raise ConfigError(where, f"{what}: expected a list of stages")
    names = [str(s) for s in picked]
    if stages is not None:
        bad = [s for s in names if s not in stages]
        if bad:
            hint = (
                "; give a list per model instead, e.g. `stages: {lifecycle: [retain], 5a: []}`"
                if what == "stages"
                else ""
            )
            raise ConfigError(
                where,
                f"{what}: {bad} not stage(s) of the {model or 'active'} journey model, whose "
                f"stages are {list(stages)}{hint}",
            )
    return frozenset(names)


class SuppressionRules:
    def __init__(
        self,
        doc: Mapping[str, Any],
        where: str = "<suppression>",
        *,
        model: str | None = None,
        stages: Sequence[str] | None = None,
        models: Collection[str] | None = None,
    ) -> None:
        """`model`: the journey stage model in use (None: the active one of
        data/journey/model.yml), `stages` its stage names and `models` every model's
        name, to check the `stages` rule (left unchecked when not given)."""
        unknown = set(doc) - _KEYS
        if unknown:
            raise ConfigError(where, f"unknown key(s) {sorted(unknown)}; known: {sorted(_KEYS)}")
        self.rules: list[EventRule] = []
        self._by_type: dict[str, EventRule] = {}
        self._by_intent: dict[str, EventRule] = {}
        events = doc.get("events") or {}
        if not isinstance(events, Mapping):
            raise ConfigError(where, "events: a map of rule name -> {types, intents, days}")
        for name, spec in events.items():
            if name in BUILT_IN or not isinstance(spec, Mapping):
                raise ConfigError(where, f"events.{name}: a name other than {BUILT_IN}, a map")
            bad = set(spec) - {"types", "intents", "days"}
            if bad or "days" not in spec:
                raise ConfigError(where, f"events.{name}: needs days; unknown {sorted(bad)}")
            rule = EventRule(
                str(name),
                frozenset(normalise_type(str(t)) for t in spec.get("types") or []),
                frozenset(str(i) for i in spec.get("intents") or []),
                _days(spec["days"], where, f"events.{name}"),
            )
            if not rule.types and not rule.intents:
                raise ConfigError(where, f"events.{name}: list types or intents")
            for key, table in ((rule.types, self._by_type), (rule.intents, self._by_intent)):
                for k in key:
                    if k in table:
                        raise ConfigError(where, f"{k!r} is in {table[k].name} and {name}")
                    table[k] = rule
            self.rules.append(rule)
        self.open_ticket = bool(doc.get("open_ticket", True))
        neg = doc.get("negative_sentiment") or {}
        self.negative_below = float(neg.get("below", -0.3))
        self.negative_for = _days(neg.get("days", 7), where, "negative_sentiment")
        fr = doc.get("frustration") or {}
        self.frustration_at_least = float(fr.get("at_least", 0.5))
        self.frustration_for = _days(fr.get("days", 3), where, "frustration")
        self.stages = _stage_list(doc.get("stages"), where, model, stages, models)
        if not -1.0 <= self.negative_below <= 1.0 or not 0.0 <= self.frustration_at_least <= 1.0:
            raise ConfigError(
                where, "negative_sentiment.below must be in [-1, 1], frustration.at_least in [0, 1]"
            )

    @classmethod
    def load(
        cls, path: str | Path | None = None, *, model: str | None = None, source: str = ""
    ) -> SuppressionRules:
        """The rules of `path` (default: data/journey/suppression.yml) for the journey
        stage model `model` (None: the active one of data/journey/model.yml), its `stages`
        rule checked against that model."""
        path = journey_root() / RULES_FILE if path is None else path
        registry = load_registry()
        entry = registry.resolve(model, source=source)
        stages = JourneyConfig.load(entry.stages_file, model=entry.name).stages
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(path), str(exc)) from exc
        return cls(doc, str(path), model=entry.name, stages=stages, models=registry.models)

    @property
    def horizon(self) -> timedelta:
        """How far back an event can still suppress."""
        return max([self.negative_for, self.frustration_for, *(r.duration for r in self.rules)])

    def rule_for(self, event: Event) -> EventRule | None:
        """The rule an event starts, by its type first, then by its intent."""
        rule = self._by_type.get(normalise_type(event.type))
        if rule is None and event.intent:
            rule = self._by_intent.get(event.intent)
        return rule

    # ------------------------------------------------------------------ evaluation

    def evaluate(
        self,
        now: datetime,
        *,
        opt_out: bool = False,
        events: Iterable[Event] = (),
        tickets: Iterable[Ticket] = (),
        stage: str | None = None,
        current_sentiment: float | None = None,
        current_frustration: float | None = None,
        score: SentimentFn | None = None,
    ) -> Suppression:
        """The customer's suppression at `now`. `events` may hold anything (older ones and
        unknown types are ignored); `current_*`: the message being answered (assist);
        `score`: scores the text of customer messages that carry no sentiment."""
        out: list[SuppressionReason] = []
        if opt_out:
            out.append(SuppressionReason("opt_out", "customer opted out of marketing", None, None))
        if self.open_ticket:
            for t in tickets:
                if t.is_open:
                    out.append(
                        SuppressionReason(
                            "open_ticket",
                            f"open ticket {t.id} ({t.topic})",
                            t.opened_at,
                            None,
                            ticket_id=t.id,
                        )
                    )
        latest: dict[str, SuppressionReason] = {}  # one reason per rule: the one ending last

        def keep(r: SuppressionReason | None) -> None:
            if r is None or r.until is None or r.until <= now:
                return
            old = latest.get(r.reason)
            if old is None or old.until is None or r.until > old.until:
                latest[r.reason] = r

        for e in events:
            if e.ts + self.horizon <= now:
                continue
            rule = self.rule_for(e)
            if rule is not None:
                until = e.ts + rule.duration
                what = rule.name.replace("_", " ")
                keep(
                    SuppressionReason(
                        rule.name,
                        f"{what}: {e.type} {e.id} on {_day(e.ts)}, until {_day(until)}",
                        e.ts,
                        until,
                        event_type=e.type,
                        event_id=e.id,
                    )
                )
            compound, frustration = _numbers(e)
            recent = e.ts + self.negative_for > now
            if compound is None and score is not None and e.type in AUTHORED and e.text and recent:
                compound = float(score(e.text))
            if compound is not None and compound <= self.negative_below:
                until = e.ts + self.negative_for
                keep(
                    SuppressionReason(
                        "negative_sentiment",
                        f"negative sentiment ({compound:.2f}) in {e.type} {e.id} on "
                        f"{_day(e.ts)}, until {_day(until)}",
                        e.ts,
                        until,
                        event_type=e.type,
                        event_id=e.id,
                    )
                )
            if frustration is not None and frustration >= self.frustration_at_least:
                until = e.ts + self.frustration_for
                keep(
                    SuppressionReason(
                        "frustration",
                        f"customer frustrated ({frustration:.2f}) in {e.type} {e.id} on "
                        f"{_day(e.ts)}, until {_day(until)}",
                        e.ts,
                        until,
                        event_type=e.type,
                        event_id=e.id,
                    )
                )
        if current_sentiment is not None and current_sentiment <= self.negative_below:
            keep(
                SuppressionReason(
                    "negative_sentiment",
                    f"negative sentiment ({current_sentiment:.2f}) in this message",
                    now,
                    now + self.negative_for,
                )
            )
        if current_frustration is not None:
            keep(self._frustrated_now(current_frustration, now))
        order = [r.name for r in self.rules] + ["negative_sentiment", "frustration"]
        out += [latest[name] for name in order if name in latest]
        if stage is not None and stage in self.stages:
            out.append(SuppressionReason("stage", f"journey stage {stage}", None, None))
        return Suppression.of(out, now)

    def _frustrated_now(self, frustration: float, now: datetime) -> SuppressionReason | None:
        if frustration < self.frustration_at_least:
            return None
        return SuppressionReason(
            "frustration",
            f"customer frustrated now ({frustration:.2f})",
            now,
            now + self.frustration_for,
        )

    def with_turn(self, base: Suppression, frustration: float | None, now: datetime) -> Suppression:
        """`base` (the customer's suppression) plus the frustration of the turn being
        answered, which no stored event holds yet."""
        extra = None if frustration is None else self._frustrated_now(frustration, now)
        if extra is None or extra.until is None:
            return base
        old = next((r for r in base.reasons if r.reason == "frustration"), None)
        if old is not None and old.until is not None and old.until >= extra.until:
            return base
        rs = [r for r in base.reasons if r.reason != "frustration"]
        at = next((i for i, r in enumerate(rs) if r.reason == "stage"), len(rs))
        rs.insert(at, extra)
        return Suppression.of(rs, base.at or now)
