"""One call that reads a customer turn: intent, entities, sentiment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intent.entities import Entity, EntityExtractor
from intent.sentiment import Sentiment, SentimentAnalyzer
from intent.types import IntentClassifier, IntentPrediction


@dataclass(frozen=True, slots=True)
class TurnAnalysis:
    prediction: IntentPrediction
    entities: list[Entity]
    sentiment: Sentiment


class TurnAnalyzer:
    """Bundles the classifier with entity extraction and sentiment."""

    def __init__(
        self, classifier: IntentClassifier, extractor: EntityExtractor, sentiment: SentimentAnalyzer
    ) -> None:
        self.classifier = classifier
        self.extractor = extractor
        self.sentiment = sentiment

    def analyze(self, texts: Sequence[str]) -> list[TurnAnalysis]:
        preds = self.classifier.predict(list(texts))
        return [
            TurnAnalysis(p, self.extractor.extract(p.text), self.sentiment.analyze(p.text))
            for p in preds
        ]

    def close(self) -> None:
        """Stop the classifier's worker thread, if it has one (intent/batching.py)."""
        close = getattr(self.classifier, "close", None)
        if callable(close):
            close()
