from enum import StrEnum


class CustomerStateState(StrEnum):
    BOT = "bot"
    CLOSED = "closed"
    HUMAN = "human"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
