"""Wire types of the intent classifier (what `IntentModel.predict` returns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from intent.language import Language


@dataclass(frozen=True, slots=True)
class RankedIntent:
    name: str  # intent label
    confidence: float  # calibrated probability in [0, 1]


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    text: str  # the input text, as given
    intent: str  # top label, or the out-of-scope label when `out_of_scope`
    confidence: float  # calibrated probability of the top in-scope label
    out_of_scope: bool  # below the operating point chosen on validation, or predicted OOS class
    ranking: list[RankedIntent] = field(default_factory=list)  # top-k in-scope labels
    language: Language = "en"  # the turn's language (intent/language.py: script; en when none)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class IntentClassifier(Protocol):
    """The seam the API, the Rasa component and the benchmark depend on."""

    @property
    def labels(self) -> list[str]: ...

    def predict(self, texts: str | Sequence[str]) -> list[IntentPrediction]: ...
