from enum import StrEnum


class SummaryV1AnalyticsSummaryGetFormat(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
