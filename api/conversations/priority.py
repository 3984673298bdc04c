"""The hand-off queue's priority: a transparent, additive score per waiting conversation,
from the last customer turn's frustration, the customer's tier, value and open tickets,
and the wait against a target. Weights come from `data/queue.yml` (`QueueWeights.load`,
checked at start-up); `score` is a pure function, and each contribution comes back as a
`Reason` an agent can read ("frustrated (0.82)", "gold tier", "1 open ticket", "waited
3 min, target 2 min")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from api.conversations.skills import SkillConfigError, SkillMap
from intent.resources import data_path

DEFAULT_WEIGHTS = data_path("queue.yml")

ReasonName = Literal["frustration", "tier", "value", "open_tickets", "wait"]


class QueueConfigError(ValueError):
    """`data/queue.yml` (or the file the settings name) is malformed."""


@dataclass(frozen=True, slots=True)
class QueueWeights:
    frustration: float = 40.0  # points at frustration 1.0
    tiers: Mapping[str, float] = field(
        default_factory=lambda: {"platinum": 30.0, "vip": 30.0, "gold": 20.0, "silver": 10.0}
    )
    value_per: float = 1000.0  # `value_points` per this much lifetime value ...
    value_points: float = 5.0
    value_max: float = 15.0  # ... at most this many
    open_ticket: float = 10.0  # per open ticket ...
    max_tickets: int = 2  # ... counting at most this many
    wait_points_per_target: float = 10.0  # up to the target, per target's worth of wait
    overdue_points_per_target: float = 40.0  # past it
    # intent -> queue (api.conversations.skills); not a weight: equality ignores it
    skills: SkillMap = field(default_factory=SkillMap, compare=False)

    def __post_init__(self) -> None:
        numbers = {
            "frustration": self.frustration,
            "value.points": self.value_points,
            "value.max": self.value_max,
            "open_ticket": self.open_ticket,
            "wait.points_per_target": self.wait_points_per_target,
            "wait.overdue_points_per_target": self.overdue_points_per_target,
        } | {f"tiers.{k}": v for k, v in self.tiers.items()}
        for name, value in numbers.items():
            if not 0.0 <= value <= 1000.0:
                raise QueueConfigError(f"{name} must be within [0, 1000], not {value}")
        if self.value_per <= 0:
            raise QueueConfigError(f"value.per must be above 0, not {self.value_per}")
        if self.max_tickets < 0:
            raise QueueConfigError(f"max_tickets must be at least 0, not {self.max_tickets}")
        if self.overdue_points_per_target <= 0:
            raise QueueConfigError(
                "wait.overdue_points_per_target must be above 0: a conversation past its "
                "target must climb, or it may wait for ever"
            )

    @classmethod
    def load(cls, path: str | Path | None = None) -> QueueWeights:
        p = Path(path) if path is not None else DEFAULT_WEIGHTS
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise QueueConfigError(f"{p}: {exc}") from exc
        return cls.from_dict(doc, str(p))

    @classmethod
    def from_dict(cls, doc: Any, where: str = "<queue weights>") -> QueueWeights:
        known = {"frustration", "tiers", "value", "open_ticket", "max_tickets", "wait", "skills"}
        try:
            if not isinstance(doc, dict):
                raise QueueConfigError("expected a mapping of weights")
            unknown = sorted(set(doc) - known)
            if unknown:
                raise QueueConfigError(f"unknown keys {unknown}; known: {sorted(known)}")
            d = cls()
            value = doc.get("value") or {}
            wait = doc.get("wait") or {}
            tiers = doc.get("tiers")
            return cls(
                frustration=float(doc.get("frustration", d.frustration)),
                tiers=(
                    {str(k).lower(): float(v) for k, v in tiers.items()}
                    if tiers is not None
                    else d.tiers
                ),
                value_per=float(value.get("per", d.value_per)),
                value_points=float(value.get("points", d.value_points)),
                value_max=float(value.get("max", d.value_max)),
                open_ticket=float(doc.get("open_ticket", d.open_ticket)),
                max_tickets=int(doc.get("max_tickets", d.max_tickets)),
                wait_points_per_target=float(
                    wait.get("points_per_target", d.wait_points_per_target)
                ),
                overdue_points_per_target=float(
                    wait.get("overdue_points_per_target", d.overdue_points_per_target)
                ),
                skills=SkillMap.from_dict(doc.get("skills")),
            )
        except (QueueConfigError, SkillConfigError) as exc:
            raise QueueConfigError(f"{where}: {exc}") from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise QueueConfigError(f"{where}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class QueueSignals:
    """What the score reads of one waiting conversation."""

    wait_s: float  # since it was queued
    frustration: float | None = None  # the last customer turn's, 0..1; None: not known
    tier: str | None = None  # None: an anonymous visitor or an unknown customer
    lifetime_value: float = 0.0
    open_tickets: int = 0


@dataclass(frozen=True, slots=True)
class Reason:
    name: ReasonName
    points: float  # this reason's contribution to the score
    detail: str  # for a person: "frustrated (0.82)", "gold tier", ...


@dataclass(frozen=True, slots=True)
class Priority:
    score: float
    reasons: tuple[Reason, ...]


def _minutes(seconds: float) -> str:
    m = seconds / 60
    if m < 1:
        return f"{max(0, round(seconds))} s"
    return f"{m:.0f} min" if m >= 10 or m == int(m) else f"{m:.1f} min"


def wait_points(wait_s: float, target_s: float, w: QueueWeights) -> float:
    """`points_per_target` per target's worth of wait up to the target, then
    `overdue_points_per_target` per target's worth past it (unbounded: nobody starves)."""
    ratio = max(0.0, wait_s) / target_s
    return w.wait_points_per_target * min(ratio, 1.0) + w.overdue_points_per_target * max(
        0.0, ratio - 1.0
    )


def score(signals: QueueSignals, weights: QueueWeights, target_wait_s: float) -> Priority:
    """The conversation's priority: the sum of its reasons' points (rounded to 0.1)."""
    if target_wait_s <= 0:
        raise ValueError("target_wait_s must be above 0")
    w = weights
    reasons: list[Reason] = []
    f = signals.frustration
    if f is not None and f > 0 and w.frustration > 0:
        f = min(1.0, f)
        detail = f"frustrated ({f:.2f})" if f >= 0.5 else f"frustration {f:.2f}"
        reasons.append(Reason("frustration", w.frustration * f, detail))
    tier = (signals.tier or "").lower()
    if tier and w.tiers.get(tier, 0.0) > 0:
        reasons.append(Reason("tier", w.tiers[tier], f"{tier} tier"))
    if signals.lifetime_value > 0 and w.value_points > 0:
        points = min(w.value_max, w.value_points * signals.lifetime_value / w.value_per)
        reasons.append(Reason("value", points, f"lifetime value {signals.lifetime_value:,.0f}"))
    tickets = max(0, signals.open_tickets)
    if tickets and w.open_ticket > 0 and w.max_tickets > 0:
        counted = min(tickets, w.max_tickets)
        detail = f"{tickets} open ticket" + ("s" if tickets > 1 else "")
        reasons.append(Reason("open_tickets", w.open_ticket * counted, detail))
    waited = wait_points(signals.wait_s, target_wait_s, w)
    if waited > 0:
        detail = f"waited {_minutes(signals.wait_s)}, target {_minutes(target_wait_s)}"
        reasons.append(Reason("wait", waited, detail))
    rounded = tuple(
        Reason(r.name, round(r.points, 1), r.detail) for r in reasons if round(r.points, 1) > 0
    )
    return Priority(round(sum(r.points for r in reasons), 1), rounded)


def order_key(priority: float, wait_s: float, conversation_id: str) -> tuple[float, float, str]:
    """Sort key of the queue: the highest priority first, ties by the longest wait."""
    return (-priority, -wait_s, conversation_id)
