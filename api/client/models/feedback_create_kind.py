from enum import StrEnum


class FeedbackCreateKind(StrEnum):
    INTENT_CORRECTION = "intent_correction"
    RATING = "rating"
    SUGGESTION = "suggestion"

    def __str__(self) -> str:
        return str(self.value)
