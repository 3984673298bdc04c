from enum import StrEnum


class WrapUpOutcome(StrEnum):
    ABANDONED_IN_QUEUE = "abandoned_in_queue"
    FOLLOW_UP = "follow_up"
    NO_CONTACT = "no_contact"
    RESOLVED_BY_AGENT = "resolved_by_agent"
    RESOLVED_BY_BOT = "resolved_by_bot"
    UNANSWERED = "unanswered"
    UNRESOLVED = "unresolved"

    def __str__(self) -> str:
        return str(self.value)
