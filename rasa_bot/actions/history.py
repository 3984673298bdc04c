"""The customer's history in the bot's own answers: before the activation steps, the bot
looks up (POST /v1/customers/{id}/history:search, the search behind the agents' related
history) whether this customer raised the same problem before, and if an agent told them
something then, repeats it: "You told us about this before: on Monday 30 November, our
colleague said ...", in the customer's language.

Only the customer's OWN wrap-ups are used, and only `said_to_customer`: the agent's words
to this customer, never the wrap-up's internal lines (reasons, disposition) and never
another customer's case."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import API, ApiError
from actions.common import customer_id, when
from actions.wording import language_of, say

log = logging.getLogger(__name__)
MIN_SCORE = 0.45  # how like this message the earlier conversation must be
RECENT = timedelta(days=90)


def recalled(hits: list[dict[str, Any]], now: datetime) -> tuple[str, str] | None:
    """(when as an ISO timestamp, what an agent told the customer) from the best own
    wrap-up like the turn."""
    for h in hits:
        told = h.get("said_to_customer") or []
        if h.get("kind") != "own_history" or not told or float(h.get("score", 0)) < MIN_SCORE:
            continue
        try:
            ts = datetime.fromisoformat(str(h.get("ts")).replace("Z", "+00:00"))
        except ValueError:
            continue
        if now - ts > RECENT:
            continue
        return str(h["ts"]), str(told[0])
    return None


class ActionRecallHistory(Action):
    def name(self) -> str:
        return "action_recall_history"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")[:2000]
        cid = await customer_id(tracker)
        if not cid or not text.strip():
            return []
        try:
            res = await API.post(
                f"/v1/customers/{quote(cid, safe='')}/history:search", {"text": text, "k": 5}
            )
        except ApiError as exc:  # the answer goes on without the memory
            log.info("history search for %r failed: %s", tracker.sender_id, exc)
            return []
        found = recalled(list(res.get("hits") or []), datetime.now(timezone.utc))
        if found is not None:
            ts, said = found
            lang = language_of(tracker)
            day = when(ts, lang) or say("recently", lang)
            dispatcher.utter_message(text=say("history.told_before", lang, day=day, said=said))
        return []
