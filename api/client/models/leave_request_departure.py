from enum import StrEnum


class LeaveRequestDeparture(StrEnum):
    ENDED = "ended"
    PAGE_LEFT = "page_left"

    def __str__(self) -> str:
        return str(self.value)
