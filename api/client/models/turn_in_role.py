from enum import StrEnum


class TurnInRole(StrEnum):
    AGENT = "agent"
    BOT = "bot"
    CUSTOMER = "customer"

    def __str__(self) -> str:
        return str(self.value)
