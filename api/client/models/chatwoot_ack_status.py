from enum import StrEnum


class ChatwootAckStatus(StrEnum):
    IGNORED = "ignored"
    PROCESSED = "processed"

    def __str__(self) -> str:
        return str(self.value)
