from enum import StrEnum


class SummaryV1AnalyticsSummaryGetChannelType0(StrEnum):
    APP = "app"
    CHAT = "chat"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
