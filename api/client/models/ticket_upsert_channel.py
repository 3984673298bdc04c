from enum import StrEnum


class TicketUpsertChannel(StrEnum):
    APP = "app"
    CHAT = "chat"
    EMAIL = "email"
    PHONE = "phone"
    SOCIAL = "social"
    STORE = "store"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
