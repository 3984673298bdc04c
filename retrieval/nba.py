"""Next-best-action rules (config: the stage model's next_best_action.yml, e.g.
data/journey/next_best_action.yml or data/journey/5a/next_best_action.yml; see
retrieval/stage_models.py). Marketing suppression comes from retrieval/suppression.py
(data/journey/suppression.yml): the customer context's, plus the frustration of the turn
being answered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from retrieval.context import CustomerContext
from retrieval.errors import ConfigError
from retrieval.journey import JourneyConfig
from retrieval.stage_models import resolve
from retrieval.suppression import SuppressionReason, SuppressionRules

CONDITIONS = frozenset(
    {
        "intent_in",
        "stage_in",
        "ticket_topic_in",
        "tier_in",
        "has_open_order",
        "open_orders_at_least",
        "frustration_at_least",
        "sentiment_below",
    }
)


@dataclass(frozen=True, slots=True)
class NextBestAction:
    action: str  # what the agent (or bot) should do now
    rule: str  # id of the rule that decided it
    handoff: bool  # the rule asks for a person
    marketing_allowed: bool
    marketing_reasons: list[str] = field(default_factory=list)  # why not, for a person
    marketing_until: datetime | None = None  # allowed again then (None: allowed / no end)
    suppression_reasons: list[SuppressionReason] = field(default_factory=list)  # typed


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    when: dict[str, Any]
    action: str
    handoff: bool


def _check_stages(
    value: Any, what: str, where: str, stages: Sequence[str] | None, model: str | None
) -> None:
    if not isinstance(value, list | tuple):
        raise ConfigError(where, f"{what}: expected a list of stages, got {value!r}")
    if stages is None:
        return
    bad = [str(s) for s in value if s not in stages]
    if bad:
        raise ConfigError(
            where,
            f"{what}: {bad} not stage(s) of the {model or 'active'} journey model, whose "
            f"stages are {list(stages)}",
        )


class NextBestActionRules:
    def __init__(
        self,
        doc: Mapping[str, Any],
        where: str = "<rules>",
        suppression: SuppressionRules | None = None,
        *,
        stages: Sequence[str] | None = None,
        model: str | None = None,
    ) -> None:
        """`stages`: the stage names of the journey model `model` the rules are for;
        `stage_in` may name only those (unchecked when not given)."""
        if "marketing" in doc:
            raise ConfigError(
                where,
                "`marketing` moved to data/journey/suppression.yml (retrieval/suppression.py)",
            )
        self.suppression = suppression or SuppressionRules.load(model=model)
        self.rules: list[_Rule] = []
        for r in doc.get("actions") or []:
            when = dict(r.get("when") or {})
            bad = set(when) - CONDITIONS
            if bad or "id" not in r or "action" not in r:
                raise ConfigError(
                    where,
                    f"rule {r.get('id')!r}: unknown condition(s) {sorted(bad)} or no id/action",
                )
            if "stage_in" in when:
                _check_stages(when["stage_in"], f"rule {r['id']!r}: stage_in", where, stages, model)
            self.rules.append(
                _Rule(str(r["id"]), when, str(r["action"]), bool(r.get("handoff", False)))
            )
        if not self.rules:
            raise ConfigError(where, "no action rules")

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        suppression: SuppressionRules | None = None,
        *,
        model: str | None = None,
        source: str = "",
    ) -> NextBestActionRules:
        """The rules of the journey stage model `model` (None: the active one of
        data/journey/model.yml): its next_best_action.yml, or `path`, checked against its
        stages; `suppression` defaults to that model's."""
        entry = resolve(model, source=source)
        path = entry.actions_file if path is None else path
        stages = JourneyConfig.load(entry.stages_file, model=entry.name).stages
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(path), str(exc)) from exc
        if suppression is None:
            suppression = SuppressionRules.load(model=entry.name)
        return cls(doc, str(path), suppression, stages=stages, model=entry.name)

    def _holds(
        self,
        when: Mapping[str, Any],
        ctx: CustomerContext,
        intent: str | None,
        frustration: float | None,
    ) -> bool:
        topics = {t.topic for t in ctx.open_tickets}
        checks = {
            "intent_in": lambda v: intent in v,
            "stage_in": lambda v: ctx.stage.stage in v,
            "ticket_topic_in": lambda v: bool(topics & set(v)),
            "tier_in": lambda v: ctx.tier in v,
            "has_open_order": lambda v: bool(ctx.open_orders) == bool(v),
            "open_orders_at_least": lambda v: len(ctx.open_orders) >= int(v),
            "frustration_at_least": lambda v: frustration is not None and frustration >= float(v),
            "sentiment_below": lambda v: (
                ctx.sentiment.recent is not None and ctx.sentiment.recent < float(v)
            ),
        }
        return all(checks[k](v) for k, v in when.items())

    def decide(
        self, ctx: CustomerContext, intent: str | None = None, frustration: float | None = None
    ) -> NextBestAction:
        now = ctx.suppression.at or datetime.now(UTC)
        s = self.suppression.with_turn(ctx.suppression, frustration, now)
        rule = next(
            r
            for r in [*self.rules, _Rule("none", {}, "answer the question", False)]
            if self._holds(r.when, ctx, intent, frustration)
        )
        return NextBestAction(
            rule.action, rule.id, rule.handoff, s.allowed, s.texts, s.until, s.reasons
        )
