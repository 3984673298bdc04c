from enum import StrEnum


class CustomerTurnRole(StrEnum):
    AGENT = "agent"
    BOT = "bot"
    CUSTOMER = "customer"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
