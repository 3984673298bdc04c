from enum import StrEnum


class ItemResultPublicStatus(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"
    ERROR = "error"
    UNCHANGED = "unchanged"
    UPDATED = "updated"

    def __str__(self) -> str:
        return str(self.value)
