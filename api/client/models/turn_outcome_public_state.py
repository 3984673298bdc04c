from enum import StrEnum


class TurnOutcomePublicState(StrEnum):
    BOT = "bot"
    CLOSED = "closed"
    HUMAN = "human"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
