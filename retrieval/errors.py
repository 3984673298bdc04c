"""Domain errors of the retrieval layer. Each carries the fields a caller needs; the API
maps them to HTTP status codes in one place (no HTTP here)."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class of every error raised by `retrieval`."""


class ValidationError(RetrievalError):
    """An ingested record is malformed (unknown channel, bad timestamp, missing field)."""

    def __init__(self, field: str, message: str, value: object = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.value = value


class CustomerNotFound(RetrievalError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"unknown customer {customer_id!r}")
        self.customer_id = customer_id


class OrderNotFound(RetrievalError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"unknown order {order_id!r}")
        self.order_id = order_id


class TicketNotFound(RetrievalError):
    def __init__(self, ticket_id: str) -> None:
        super().__init__(f"unknown ticket {ticket_id!r}")
        self.ticket_id = ticket_id


class EventConflict(RetrievalError):
    """An event id re-sent with different content (idempotency only covers exact repeats)."""

    def __init__(self, event_id: str) -> None:
        super().__init__(f"event {event_id!r} already exists with different content")
        self.event_id = event_id


class BatchRejected(RetrievalError):
    """An atomic batch had invalid items; nothing was written. `errors` maps item index
    to message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(f"{len(errors)} invalid item(s); nothing written")
        self.errors = errors


class IndexMismatch(RetrievalError):
    """An index on disk was built with another encoder / width than the one given."""

    def __init__(self, expected: str, found: str) -> None:
        super().__init__(f"index built for {found!r}, loaded with {expected!r}")
        self.expected = expected
        self.found = found


class ConfigError(RetrievalError):
    """A configuration file under data/ (stages, rules, response bank) is invalid."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
