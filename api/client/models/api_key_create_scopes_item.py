from enum import StrEnum


class ApiKeyCreateScopesItem(StrEnum):
    ADMIN = "admin"
    ASSIST = "assist"
    DESK = "desk"
    INGEST = "ingest"
    MARKETING = "marketing"

    def __str__(self) -> str:
        return str(self.value)
