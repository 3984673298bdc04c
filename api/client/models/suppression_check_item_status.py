from enum import StrEnum


class SuppressionCheckItemStatus(StrEnum):
    ALLOWED = "allowed"
    SUPPRESSED = "suppressed"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
