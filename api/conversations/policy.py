"""Hand-off policy: decides, for one analysed customer turn of a bot-owned conversation,
whether a person should take over and why. Loaded from `data/handoff_policy.yml`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from intent.resources import data_path

DEFAULT_POLICY = data_path("handoff_policy.yml")


class PolicyConfigError(ValueError):
    """`data/handoff_policy.yml` is malformed."""


@dataclass(frozen=True, slots=True)
class TurnSignals:
    """What the policy reads from one turn (and the customer)."""

    intent: str
    confidence: float
    out_of_scope: bool
    frustration: float
    tier: str | None = None
    lifetime_value: float = 0.0
    open_tickets: int = 0
    # the turn answers a question the bot asked (an order number, a rating): its intent
    # says little, so business rules and the low-confidence count skip it
    answering: bool = False


@dataclass(frozen=True, slots=True)
class BusinessRule:
    id: str
    intents: frozenset[str]
    reason: str
    tiers: frozenset[str] | None = None
    min_lifetime_value: float | None = None
    open_ticket: bool = False  # only while the customer has an open ticket
    min_frustration: float | None = None

    def matches(self, turn: TurnSignals) -> bool:
        if self.intents and turn.intent not in self.intents:
            return False
        if self.tiers is not None and (turn.tier or "").lower() not in self.tiers:
            return False
        if self.open_ticket and turn.open_tickets == 0:
            return False
        if self.min_frustration is not None and turn.frustration < self.min_frustration:
            return False
        return self.min_lifetime_value is None or turn.lifetime_value >= self.min_lifetime_value


@dataclass(frozen=True, slots=True)
class Decision:
    handoff: bool
    reason: str | None
    streak: int  # consecutive low-confidence / out-of-scope turns, this one included


@dataclass(frozen=True, slots=True)
class HandoffPolicy:
    explicit_intents: frozenset[str] = frozenset({"contact_human_agent"})
    low_confidence_below: float = 0.5
    max_low_confidence_turns: int = 2
    frustration_at_least: float = 0.75
    business_rules: Sequence[BusinessRule] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.max_low_confidence_turns < 1:
            raise PolicyConfigError("max_low_confidence_turns must be at least 1")
        if not 0.0 <= self.low_confidence_below <= 1.0:
            raise PolicyConfigError("low_confidence_below must be within [0, 1]")
        if not 0.0 <= self.frustration_at_least <= 1.0:
            raise PolicyConfigError("frustration_at_least must be within [0, 1]")

    @classmethod
    def load(cls, path: str | Path = DEFAULT_POLICY) -> HandoffPolicy:
        p = Path(path)
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PolicyConfigError(f"{p}: {exc}") from exc
        return cls.from_dict(doc, str(p))

    @classmethod
    def from_dict(cls, doc: dict[str, Any], where: str = "<policy>") -> HandoffPolicy:
        try:
            rules = tuple(
                BusinessRule(
                    id=str(r["id"]),
                    intents=frozenset(str(i) for i in r.get("intents") or ()),
                    reason=str(r.get("reason") or f"business rule {r['id']}"),
                    tiers=frozenset(str(t).lower() for t in r["tiers"]) if r.get("tiers") else None,
                    min_lifetime_value=(
                        float(r["min_lifetime_value"]) if "min_lifetime_value" in r else None
                    ),
                    open_ticket=bool(r.get("open_ticket", False)),
                    min_frustration=(
                        float(r["min_frustration"]) if "min_frustration" in r else None
                    ),
                )
                for r in doc.get("business_rules") or []
            )
            return cls(
                explicit_intents=frozenset(doc.get("explicit_intents") or ["contact_human_agent"]),
                low_confidence_below=float(doc.get("low_confidence_below", 0.5)),
                max_low_confidence_turns=int(doc.get("max_low_confidence_turns", 2)),
                frustration_at_least=float(doc.get("frustration_at_least", 0.75)),
                business_rules=rules,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PolicyConfigError(f"{where}: {exc}") from exc

    def decide(self, turn: TurnSignals, previous_streak: int) -> Decision:
        low = turn.out_of_scope or turn.confidence < self.low_confidence_below
        streak = 0 if turn.answering else previous_streak + 1 if low else 0
        if not turn.out_of_scope and turn.intent in self.explicit_intents:
            return Decision(True, "the customer asked for a person", streak)
        if turn.frustration >= self.frustration_at_least:
            return Decision(True, f"customer frustration {turn.frustration:.2f}", streak)
        if not turn.out_of_scope and not turn.answering:
            for rule in self.business_rules:
                if rule.matches(turn):
                    return Decision(True, rule.reason, streak)
        if streak >= self.max_low_confidence_turns:
            return Decision(True, f"{streak} turns in a row the bot did not understand", streak)
        return Decision(False, None, streak)
