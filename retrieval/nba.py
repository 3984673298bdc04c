"""Next-best-action rules (config: data/journey/next_best_action.yml). Marketing
suppression comes from retrieval/suppression.py (data/journey/suppression.yml): the
customer context's, plus the frustration of the turn being answered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from intent.resources import data_path
from retrieval.context import CustomerContext
from retrieval.errors import ConfigError
from retrieval.suppression import SuppressionReason, SuppressionRules

DEFAULT_RULES = data_path("journey", "next_best_action.yml")
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


class NextBestActionRules:
    def __init__(
        self,
        doc: Mapping[str, Any],
        where: str = "<rules>",
        suppression: SuppressionRules | None = None,
    ) -> None:
        if "marketing" in doc:
            raise ConfigError(
                where,
                "`marketing` moved to data/journey/suppression.yml (retrieval/suppression.py)",
            )
        self.suppression = suppression or SuppressionRules.load()
        self.rules: list[_Rule] = []
        for r in doc.get("actions") or []:
            when = dict(r.get("when") or {})
            bad = set(when) - CONDITIONS
            if bad or "id" not in r or "action" not in r:
                raise ConfigError(
                    where,
                    f"rule {r.get('id')!r}: unknown condition(s) {sorted(bad)} or no id/action",
                )
            self.rules.append(
                _Rule(str(r["id"]), when, str(r["action"]), bool(r.get("handoff", False)))
            )
        if not self.rules:
            raise ConfigError(where, "no action rules")

    @classmethod
    def load(
        cls, path: str | Path = DEFAULT_RULES, suppression: SuppressionRules | None = None
    ) -> NextBestActionRules:
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(path), str(exc)) from exc
        return cls(doc, str(path), suppression)

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
