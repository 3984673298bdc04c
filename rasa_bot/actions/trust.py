"""Which customer a message may name. The API signs (conversation id, customer id) with a
secret it shares with the action server (`AGENT_ASSIST_BOT_SECRET`) and sends the
signature in the message metadata next to `customer_id`. The actions believe a
`customer_id` only when its signature verifies for the tracker's sender id: anyone who
can reach the action server could otherwise name any customer and read their orders.

Standard library only. The API's twin is `sign_customer` in api/conversations/bot.py
(another virtualenv); tests/rasa/test_rasa_trust.py checks that the two agree.
"""

from __future__ import annotations

import hashlib
import hmac
import os

SECRET_ENV = "AGENT_ASSIST_BOT_SECRET"
SIGNATURE_KEY = "customer_sig"  # metadata key, next to "customer_id"
VERSION = "v1"


def bot_secret() -> str | None:
    """The secret shared with the API; None when unset (then no metadata is trusted)."""
    return os.environ.get(SECRET_ENV) or None


def _message(conversation_id: str, customer_id: str) -> bytes:
    # netstrings ("<byte length>:<bytes>,"): no two id pairs give the same bytes
    parts = (f"agent-assist customer {VERSION}", conversation_id, customer_id)
    out = b""
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass")
        out += str(len(raw)).encode() + b":" + raw + b","
    return out


def sign(secret: str, conversation_id: str, customer_id: str) -> str:
    """`v1=<hex HMAC-SHA256>` of the two ids, keyed with `secret`."""
    mac = hmac.new(
        secret.encode("utf-8", "surrogatepass"),
        _message(conversation_id, customer_id),
        hashlib.sha256,
    )
    return f"{VERSION}={mac.hexdigest()}"


def verify(secret: str | None, conversation_id: object, customer_id: object, sig: object) -> bool:
    """True only when `sig` is the signature of exactly these two ids (constant-time)."""
    if not secret or not isinstance(sig, str):
        return False
    if not isinstance(conversation_id, str) or not isinstance(customer_id, str):
        return False
    if not conversation_id or not customer_id:
        return False
    expected = sign(secret, conversation_id, customer_id).encode()
    return hmac.compare_digest(expected, sig.encode("utf-8", "surrogatepass"))
