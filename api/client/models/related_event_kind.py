from enum import StrEnum


class RelatedEventKind(StrEnum):
    OWN_HISTORY = "own_history"
    RESOLVED_CASE = "resolved_case"

    def __str__(self) -> str:
        return str(self.value)
