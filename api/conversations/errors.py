"""Domain errors of conversations, hand-off and auth. Each carries the fields a caller
needs; `api/errors.py` maps them to HTTP status codes (no HTTP here)."""

from __future__ import annotations


class ConversationError(Exception):
    """Base class of the errors raised by `api.conversations` and `api.security`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConversationNotFound(ConversationError):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"no conversation {conversation_id!r}")
        self.conversation_id = conversation_id


class IllegalTransition(ConversationError):
    """The action is not allowed from the conversation's current state (or, for a claim,
    another agent already owns it)."""

    def __init__(self, conversation_id: str, action: str, state: str, detail: str = "") -> None:
        msg = f"cannot {action.replace('_', ' ')} conversation {conversation_id!r}: it is {state}"
        super().__init__(f"{msg}{'; ' + detail if detail else ''}")
        self.conversation_id = conversation_id
        self.action = action
        self.state = state


class ConversationClosed(ConversationError):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"conversation {conversation_id!r} is closed: start a new one")
        self.conversation_id = conversation_id


class NotAuthenticated(ConversationError):
    """No credential, or one that is unknown, revoked or expired."""


class Forbidden(ConversationError):
    """A valid credential that does not allow this action."""


class BotUnavailable(ConversationError):
    """The bot could not be reached, timed out or answered with an error."""


class Throttled(ConversationError):
    """Too many attempts (log-ins, a locked account, conversations from one address):
    retry after `retry_after_s`."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = max(1, int(retry_after_s))


class StoreUnavailable(ConversationError):
    """The database cannot be reached right now; the request changed nothing."""


class InvalidWrapUp(ConversationError):
    """An agent's wrap-up that cannot be saved (an unknown disposition code, a cited turn
    of another conversation)."""
