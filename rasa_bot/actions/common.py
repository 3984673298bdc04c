"""What several actions share: who the customer is, the hand-off, order wording."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import trust
from actions.api_client import API, ApiError

log = logging.getLogger(__name__)

ORDER_RE = re.compile(r"\bORD-?(\d{3,})\b", re.IGNORECASE)
# what the API's conversation ids (Rasa's sender ids, e.g. conv_...) look like; a sender id
# that is not one is never put into an API path
CONVERSATION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")
HANDOFF_TEXT = "I'll pass you to a colleague now."
# actions that say nothing about what the bot did for the customer
_QUIET = {"action_listen", "action_session_start", "action_extract_slots", "action_handoff"}


def _claimed_customer(tracker: Tracker) -> tuple[Any, Any] | None:
    """(customer_id, signature) as the newest message's metadata claims them, else as the
    session's start metadata does; None when nothing names a customer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            meta = event.get("metadata") or {}
            if isinstance(meta, dict) and meta.get("customer_id"):
                return meta["customer_id"], meta.get(trust.SIGNATURE_KEY)
    started = tracker.get_slot("session_started_metadata") or {}
    if isinstance(started, dict) and started.get("customer_id"):
        return started["customer_id"], started.get(trust.SIGNATURE_KEY)
    return None


async def customer_id(tracker: Tracker) -> str | None:
    """The customer of this conversation. The API sends `customer_id` in the metadata of
    every message, signed for this conversation (actions/trust.py): it is believed only
    when the signature verifies for the tracker's sender id. Otherwise (no secret here, no
    or a wrong signature) the API's record of the conversation (sender id = conversation
    id) decides."""
    claimed = _claimed_customer(tracker)
    secret = trust.bot_secret()
    if claimed is not None and secret:
        cid, sig = claimed
        if trust.verify(secret, tracker.sender_id, cid, sig):
            return str(cid)
        # never log the metadata itself: the ids and signature are the caller's to prove
        log.warning(
            "conversation %r: the customer id in the metadata is not signed by the API; ignored",
            str(tracker.sender_id)[:80],
        )
    if not CONVERSATION_ID_RE.fullmatch(str(tracker.sender_id)):
        return None  # not one of the API's conversation ids: nothing to ask the API
    try:
        return await API.conversation_customer(tracker.sender_id)
    except ApiError as exc:
        log.info("no customer for %r: %s", tracker.sender_id, exc)
        return None


def order_numbers(tracker: Tracker) -> list[str]:
    """Order numbers in the latest message (the product's entities, then a regex)."""
    found = [
        str(e.get("value")).upper()
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == "order_number" and e.get("value")
    ]
    text = tracker.latest_message.get("text") or ""
    found += [f"ORD-{m.group(1)}" for m in ORDER_RE.finditer(text)]
    return list(dict.fromkeys(found))


def when(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        day = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None
    return day.strftime("%A %d %B").replace(" 0", " ")


def bot_summary(tracker: Tracker) -> str:
    """What the bot did in this conversation, in one line for the agent's hand-off packet."""
    intents: list[str] = []
    actions: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name and name not in intents:
                intents.append(name)
        elif event.get("event") == "action":
            name = event.get("name") or ""
            if name not in _QUIET and name not in actions:
                actions.append(name)
    parts = [f"The bot saw {', '.join(intents) or 'no clear request'}"]
    if actions:
        parts.append(f"and ran {', '.join(actions)}")
    order = tracker.get_slot("order_number")
    if order:
        parts.append(f"about order {order}")
    return " ".join(parts) + "."


def handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    """Hand the conversation to a person.

    The action does NOT call the API's hand-off endpoint: the API is waiting for Rasa's
    REST webhook to answer this very turn, and its hand-off pauses Rasa's tracker through
    Rasa's HTTP API, which waits for the conversation lock the webhook holds: a deadlock
    (until both time out). Instead the bot sends a custom message that the API's turn
    router turns into a hand-off (reason + this summary in the packet) once the webhook
    has returned, and pauses its own tracker. The API appends `resume` + `action_listen`
    when an agent hands the conversation back."""
    dispatcher.utter_message(text=HANDOFF_TEXT)
    dispatcher.utter_message(
        json_message={"handoff": True, "reason": reason, "summary": bot_summary(tracker)}
    )
    return [ConversationPaused()]


def describe_order(order: dict[str, Any]) -> str:
    """One order's status in words, with its tracking link and dates."""
    oid, what = order["id"], order.get("summary") or "your items"
    status = order.get("status", "")
    carrier = order.get("carrier")
    link = order.get("tracking_url")
    eta = when(order.get("eta"))
    if status in ("shipped", "in_transit", "out_for_delivery"):
        state = "is out for delivery today" if status == "out_for_delivery" else "is on its way"
        text = f"Your order {oid} ({what}) {state}"
        text += f" with {carrier}" if carrier else ""
        text += f", expected on {eta}." if eta and status != "out_for_delivery" else "."
        if link:
            text += f" You can follow it here: {link}"
        return text
    if status in ("placed", "paid"):
        text = f"Your order {oid} ({what}) is paid and being prepared: it has not shipped yet."
        if eta:
            text += f" It should arrive on {eta}"
            text += f" with {carrier}." if carrier else "."
        return text
    if status == "delivered":
        day = when(order.get("delivered_at"))
        return f"Your order {oid} ({what}) was delivered" + (f" on {day}." if day else ".")
    words = {"cancelled": "was cancelled", "returned": "was returned", "refunded": "was refunded"}
    return f"Your order {oid} ({what}) {words.get(status, 'is ' + status.replace('_', ' '))}."
