from enum import StrEnum


class ConversationCreateChannel(StrEnum):
    APP = "app"
    CHAT = "chat"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
