"""The bot's first words in a known customer's new conversation: a proactive offer of
help when a rule of data/proactive.yml fires on their recent history (api/proactive.py);
else, when they were here recently, it recalls the last conversation's topic (and a
promise made to them), read from the wrap-up on their timeline, then asks how it can help.

Customer-safe by construction: it uses the intent's customer wording from the wrap-up
configuration and words an agent already said to the customer, never the internal
disposition code, outcome or hand-off reason."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from api.conversations.store import Conversation, Turn
from api.conversations.transcript import Transcript
from api.conversations.wording import language_of, say
from api.conversations.wrapup import Dispositions
from api.proactive import ProactiveHelp
from retrieval.errors import CustomerNotFound
from retrieval.schemas import Event
from retrieval.store import HistoryStore

log = logging.getLogger("api.opening")
# requests that say how, not what: "a person, please" is no topic to recall
NOT_A_TOPIC = frozenset({"contact_human_agent", "contact_customer_service", "out_of_scope"})


_ZH_WEEKDAYS = "一二三四五六日"


def _when(ts: datetime, now: datetime, language: str = "en") -> str:
    days = (now.date() - ts.date()).days
    if language == "zh":
        if days <= 0:
            return "今天早些时候"
        if days == 1:
            return "昨天"
        if days < 7:
            return f"星期{_ZH_WEEKDAYS[ts.weekday()]}"
        return f"{ts.month}月{ts.day}日"
    if days <= 0:
        return "Earlier today"
    if days == 1:
        return "Yesterday"
    if days < 7:
        return f"On {ts:%A}"
    return f"On {ts.day} {ts:%B}"


class Opening:
    def __init__(
        self,
        history: HistoryStore,
        transcript: Transcript,
        dispositions: Dispositions,
        recall_days: int = 14,
        proactive: ProactiveHelp | None = None,
    ) -> None:
        self.history = history
        self.transcript = transcript
        self.dispositions = dispositions
        self.recall_days = recall_days
        self.proactive = proactive

    def last_case(self, customer_id: str, now: datetime) -> Event | None:
        """The customer's latest wrap-up within `recall_days`."""
        if self.recall_days <= 0:
            return None
        found = self.history.events(
            customer_id,
            since=now - timedelta(days=self.recall_days),
            types=["chat_wrapup"],
            limit=1,
        )
        return found[0] if found else None

    def text(
        self, customer_id: str, now: datetime | None = None, language: str = "en"
    ) -> tuple[str, str] | None:
        """(the opening line in `language`, the wrap-up event it recalls), or None."""
        now = now or datetime.now(UTC)
        case = self.last_case(customer_id, now)
        if case is None:
            return None
        attrs = case.attributes or {}
        intents = [str(i) for i in attrs.get("intents") or [] if str(i) not in NOT_A_TOPIC]
        if not intents:
            return None  # nothing the customer asked for that we could name
        try:
            first = self.history.get_customer(customer_id).name.split()[0]
        except (CustomerNotFound, IndexError):
            first = ""
        topic = self.dispositions.label_of(intents[0], language)
        welcome = (
            say("welcome_back", language, name=f", {first}" if first else "")
            if language == "en"
            else say("welcome_back", language, name=first).lstrip("，")
        )
        parts = [welcome, say("topic", language, when=_when(case.ts, now, language), topic=topic)]
        promised = [str(p) for p in attrs.get("promised") or []]  # an agent's own words
        if promised:
            parts.append(say("we_said", language, said=promised[0]))
        parts.append(say("help", language))
        return ("" if language == "zh" else " ").join(parts), case.id

    async def greet(self, conv: Conversation) -> Turn | None:
        """Say the opening in `conv` (a new conversation of a known customer), if any: a
        proactive offer first, else the recall of the last case. A failure is logged: the
        conversation exists, the greeting is a courtesy."""
        if not conv.customer_id:
            return None
        offered = await self._offer(conv, conv.customer_id)
        if offered is not None:
            return offered
        try:
            found = await asyncio.to_thread(self.text, conv.customer_id, None, language_of(conv))
            if found is None:
                return None
            text, event_id = found
            return await self.transcript.say(conv, "bot", text, {"recalls": event_id})
        except Exception:
            log.exception("opening of %s failed", conv.id)
            return None

    async def _offer(self, conv: Conversation, customer_id: str) -> Turn | None:
        if self.proactive is None:
            return None
        try:
            now = datetime.now(UTC)
            offer = await asyncio.to_thread(
                self.proactive.offer, customer_id, language_of(conv), now
            )
            if offer is None:
                return None
            # recorded first, under the trigger's id: when another worker has just
            # offered it (the customer opened two tabs), this chat says nothing of it
            if not await asyncio.to_thread(self.proactive.record, customer_id, offer, conv.id, now):
                return None
            attributes = {"proactive": offer.rule, "trigger": offer.trigger}
            if offer.article:
                attributes["article"] = offer.article
            return await self.transcript.say(conv, "bot", offer.text, attributes)
        except Exception:
            log.exception("proactive offer in %s failed", conv.id)
            return None
