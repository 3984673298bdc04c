from enum import StrEnum


class TransitionPublicToState(StrEnum):
    BOT = "bot"
    CLOSED = "closed"
    HUMAN = "human"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
