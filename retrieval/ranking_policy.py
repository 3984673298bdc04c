"""The suggestion ranking a replay of the agents' feedback chose, as a file the service
serves (issue #16 part 2: the loop from feedback back to the ranking).

`make bench-suggestions LOG=export.jsonl POLICY=var/suggestion_policy.json` replays an
export of the feedback log (bench/suggestion_feedback.py), chooses the learned rankings'
settings on one part of it and lets a guard decide, and writes what the guard shipped
here. The service loads it at start when `AGENT_ASSIST_SUGGESTION_POLICY` names it:

- `fixed`: the guard kept the fixed weights; nothing changes;
- `use_rates`: the use rates of retrieval/usage.py at `usage_weight` (the service's own
  `suggestion_learning_weight` is replaced by it);
- `rerank`: the refit feature weights re-order the fixed ranking's top `pool`
  (`retrieval.ranker.Reranker`): replies outside it are never brought in, so a log
  served with randomised impressions over the same pool can judge it again;
- `reweight`: the refit feature weights replace the fixed ones for the whole ranking (the
  replay ships it only where its guard judged the whole ranking; with randomised
  impressions the pool is then this ranking's top).

`evidence` records why: the figure the guard went by, the gain it judged over the fixed
weights with its 95 % interval, and the log. The file is JSON (no pickle), validated
whole on load: a malformed one stops the start with a message naming the file and the
field, rather than serving a ranking nobody chose.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from retrieval.errors import ConfigError
from retrieval.ranker import HybridRanker, RankerWeights, Reranker

VERSION: Literal[1] = 1


class PolicyWeights(BaseModel):
    """`retrieval.ranker.RankerWeights`, each >= 0."""

    model_config = ConfigDict(extra="forbid")

    reply_dense: float = Field(ge=0, allow_inf_nan=False)
    case_dense: float = Field(ge=0, allow_inf_nan=False)
    reply_bm25: float = Field(ge=0, allow_inf_nan=False)
    case_bm25: float = Field(ge=0, allow_inf_nan=False)
    intent: float = Field(ge=0, allow_inf_nan=False)
    stage: float = Field(ge=0, allow_inf_nan=False)
    personal: float = Field(ge=0, allow_inf_nan=False)

    def ranker_weights(self) -> RankerWeights:
        return RankerWeights(**self.model_dump())


class Gain(BaseModel):
    """A gain over the fixed weights on the validation part, with its 95 % interval."""

    model_config = ConfigDict(extra="forbid")

    gain: float
    low: float
    high: float


class Evidence(BaseModel):
    """Why the guard shipped this ranking."""

    model_config = ConfigDict(extra="forbid")

    log: str  # the feedback export replayed (or the simulation)
    select_by: str  # the validation figure the settings and the guard went by
    validation_turns: int = Field(ge=0)
    candidate: str | None = None  # the best learned ranking the guard judged
    gain: Gain | None = None  # its gain over the fixed weights (None: not an IPS guard)
    created: datetime


class RankingPolicy(BaseModel):
    """What the suggestion ranking serves (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = VERSION
    ship: Literal["fixed", "use_rates", "rerank", "reweight"]
    usage_weight: float | None = Field(default=None, ge=0, le=10, allow_inf_nan=False)
    weights: PolicyWeights | None = None
    pool: int = Field(default=10, ge=1, le=50)
    # the language whose turns it ranks (the replay ranks English turns)
    language: Literal["en"] = "en"
    evidence: Evidence

    @model_validator(mode="after")
    def _complete(self) -> RankingPolicy:
        if self.ship == "use_rates" and self.usage_weight is None:
            raise ValueError("ship 'use_rates' needs usage_weight")
        if self.ship in ("rerank", "reweight") and self.weights is None:
            raise ValueError(f"ship {self.ship!r} needs weights")
        return self

    def reranker(self) -> Reranker | None:
        """The re-ranker this policy serves (None unless it ships one)."""
        if self.ship != "rerank" or self.weights is None:
            return None
        return Reranker(self.weights.ranker_weights(), self.pool, self.language)

    def apply(self, ranker: HybridRanker) -> None:
        """Serve this policy's weights or re-ranker on `ranker`, else its fixed weights
        (the use-rate weight is the suggestion learner's, see `usage_weight`)."""
        ranker.rerank = self.reranker()
        ranker.weights = ranker.fixed_weights
        if self.ship == "reweight" and self.weights is not None:
            ranker.weights = self.weights.ranker_weights()

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)  # a service starting meanwhile reads the old file or the new one
        return path


def load_policy(path: str | Path) -> RankingPolicy:
    """The policy in `path`; a missing, unreadable or invalid file is a `ConfigError`
    naming the file and what is wrong."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read the suggestion policy: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(str(path), f"not JSON: {exc}") from exc
    try:
        return RankingPolicy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise ConfigError(str(path), f"{where}: {first['msg']}") from None
