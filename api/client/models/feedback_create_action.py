from enum import StrEnum


class FeedbackCreateAction(StrEnum):
    CORRECTED = "corrected"
    DISMISSED = "dismissed"
    EDITED = "edited"
    RATED = "rated"
    SHOWN = "shown"
    USED = "used"

    def __str__(self) -> str:
        return str(self.value)
