from enum import StrEnum


class EditedV1AnalyticsEditedSuggestionsGetFormat(StrEnum):
    JSON = "json"
    YAML = "yaml"

    def __str__(self) -> str:
        return str(self.value)
