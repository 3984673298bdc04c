from enum import StrEnum


class PresenceUpdatePresence(StrEnum):
    AWAY = "away"
    ONLINE = "online"

    def __str__(self) -> str:
        return str(self.value)
