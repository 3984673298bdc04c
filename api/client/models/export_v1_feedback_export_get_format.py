from enum import StrEnum


class ExportV1FeedbackExportGetFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"

    def __str__(self) -> str:
        return str(self.value)
