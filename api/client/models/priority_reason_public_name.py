from enum import StrEnum


class PriorityReasonPublicName(StrEnum):
    FRUSTRATION = "frustration"
    OPEN_TICKETS = "open_tickets"
    TIER = "tier"
    VALUE = "value"
    WAIT = "wait"

    def __str__(self) -> str:
        return str(self.value)
