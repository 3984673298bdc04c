"""What agents do with the suggested replies, turned into a ranking signal (issue #16
part 2): each suggestion's use rate (used or edited, per time shown) in the context it
was shown in (the turn's intent, and the journey stage), smoothed towards the wider
context when the evidence is thin:

    p(global)               = all uses / all impressions
    p(intent)               = (uses in the intent + m * p(global)) / (its impressions + m)
    p(item | intent)        = (the item's uses there + m * p(intent)) / (its impressions + m)
    p(item | intent, stage) likewise, towards p(item | intent)

(without an intent: p(item) towards p(global)). The ranker adds `weight * (p(item | ...)
- p(intent))` to an item's score: replies agents keep using for a kind of request climb
there, ones they keep passing over or dismissing sink (a dismissal counts
`dismiss_weight` extra impressions), and a reply's record for one kind of request does
not carry over to another (a reply agents love for refunds is no better for delivery
questions). A guard keeps new replies visible: an item with little evidence in the
context gets an exploration bonus, `explore * sqrt(p (1 - p) / (n + m))` (an upper
confidence bound), which fades as it is shown; a reply never shown there has p =
p(intent) and the full exploration bonus, so it is not buried under the replies that
already have a record.

Counts come from the feedback log (api/feedback.py; the API rebuilds them periodically,
api/suggestion_learning.py) or any list of `Impression`s (bench/suggestion_feedback.py
replays an exported log)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# a context key: () for all, (intent,), (intent, stage)
Context = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Impression:
    """One suggestion shown once, and what the agent did with it."""

    suggestion_id: str
    intent: str | None  # the customer turn's intent when it was shown
    stage: str | None  # the journey stage then (None: not known)
    used: bool = False  # used as is, or edited
    dismissed: bool = False


@dataclass(frozen=True, slots=True)
class UsageSettings:
    weight: float = 0.5  # score points per unit of use rate above the global rate
    prior: float = 5.0  # m: impressions' worth of belief in the wider context
    explore: float = 0.1  # the exploration bonus's scale (0: no guard)
    dismiss_weight: float = 1.0  # a dismissal counts this many extra impressions

    def __post_init__(self) -> None:
        if self.weight < 0 or self.prior <= 0 or self.explore < 0 or self.dismiss_weight < 0:
            raise ValueError("weight, explore, dismiss_weight >= 0 and prior > 0 are needed")


@dataclass(slots=True)
class _Tally:
    shown: float = 0.0
    used: float = 0.0


@dataclass(slots=True)
class UsagePrior:
    """Use rates by suggestion and context; `bonus` is what the ranker adds."""

    settings: UsageSettings = field(default_factory=UsageSettings)
    impressions: int = 0
    uses: int = 0
    _tallies: dict[tuple[str, Context], _Tally] = field(default_factory=dict)

    @classmethod
    def learn(
        cls, impressions: Iterable[Impression], settings: UsageSettings | None = None
    ) -> UsagePrior:
        out = cls(settings or UsageSettings())
        tallies: dict[tuple[str, Context], _Tally] = defaultdict(_Tally)
        extra = out.settings.dismiss_weight
        for imp in impressions:
            weight = 1.0 + (extra if imp.dismissed and not imp.used else 0.0)
            out.impressions += 1
            out.uses += imp.used
            for ctx in _contexts(imp.intent, imp.stage):
                for key in ((imp.suggestion_id, ctx), ("", ctx)):  # "": every item
                    tallies[key].shown += weight
                    tallies[key].used += imp.used
        out._tallies = dict(tallies)
        return out

    @property
    def base_rate(self) -> float:
        """The global use rate (0.5 before any evidence: no opinion)."""
        return self.uses / self.impressions if self.impressions else 0.5

    def _smooth(self, key: tuple[str, Context], towards: float) -> tuple[float, float]:
        """(the rate of `key` shrunk towards `towards`, its impressions); no evidence:
        (`towards`, 0)."""
        tally = self._tallies.get(key)
        if tally is None:
            return towards, 0.0
        m = self.settings.prior
        return (tally.used + m * towards) / (tally.shown + m), tally.shown

    def context_rate(self, intent: str | None = None) -> float:
        """The use rate of all the replies shown for `intent` (None: for any request)."""
        if not intent:
            return self.base_rate
        return self._smooth(("", (intent,)), self.base_rate)[0]

    def rate(
        self, suggestion_id: str, intent: str | None = None, stage: str | None = None
    ) -> tuple[float, float]:
        """(the item's smoothed use rate, its impressions in the most specific context
        that has any; 0: none)."""
        p, n = self.context_rate(intent), 0.0
        specific = _contexts(intent, stage)[1:] if intent else [()]
        for ctx in specific:
            p, seen = self._smooth((suggestion_id, ctx), p)
            n = seen or n
        return p, n

    def bonus(
        self, suggestion_id: str, intent: str | None = None, stage: str | None = None
    ) -> float:
        if not self.impressions:
            return 0.0
        p, n = self.rate(suggestion_id, intent, stage)
        s = self.settings
        explore = s.explore * math.sqrt(max(p * (1.0 - p), 0.0) / (n + s.prior))
        return s.weight * (p - self.context_rate(intent)) + explore


def _contexts(intent: str | None, stage: str | None) -> list[Context]:
    """From the widest to the most specific."""
    out: list[Context] = [()]
    if intent:
        out.append((intent,))
        if stage:
            out.append((intent, stage))
    return out
