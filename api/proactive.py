"""Proactive help (issue #16 part 3, demo story 8): a journey event the customer's app or
the site logs makes the bot speak first. When a known customer opens the chat widget
(a new conversation) and one of the rules of `data/proactive.yml` fires on their recent
history, the bot's first message is that rule's offer, in the conversation's language,
before the customer writes. The file's header says how a rule fires; in short: a recent
trigger event, no contact since (the customer called, chatted or bought), each trigger
offered once, at most `max_per_day` offers a day, and marketing offers only to customers
marketing may reach (suppression and consent: data/journey/suppression.yml).

Every offer is a bot turn of the conversation (attributes: the rule, the trigger event,
the article) and a `proactive_offer` event on the customer's timeline, which is also what
the once-per-trigger and per-day limits read: the audit trail and the rate limit are the
same record, shared by every API worker: its id is made of the rule and the trigger, so
two workers opening chats for the same customer at once offer it once."""

from __future__ import annotations

import hashlib
import logging
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from retrieval.errors import ConfigError, CustomerNotFound, EventConflict, OrderNotFound
from retrieval.responses import BankItem
from retrieval.schemas import Event, Order
from retrieval.store import HistoryStore

log = logging.getLogger("api.proactive")
RULES = Path(__file__).resolve().parent.parent / "data" / "proactive.yml"
OFFER_EVENT = "proactive_offer"  # the timeline's record of an offer
PLACEHOLDERS = frozenset({"product", "order_id", "eta", "error_code", "article"})
MarketingAllowed = Callable[[str, datetime], bool]


class OfferText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str = Field(min_length=1, max_length=2000)
    zh: str = Field("", max_length=2000)

    @field_validator("en", "zh")
    @classmethod
    def _known_placeholders(cls, v: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(v) if name is not None}
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; known: {sorted(PLACEHOLDERS)}"
            )
        return v


class ProactiveRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    event: str = Field(min_length=1, max_length=64, description="the trigger event type")
    within_hours: float = Field(48.0, gt=0, le=24 * 30)
    min_count: int = Field(1, ge=1, le=100)
    unless: list[str] = Field(default_factory=list, description="event types that cancel it")
    after: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="event types that must have happened before the trigger, in this "
        "order, within the window (an ordered pattern: e.g. checkout_started, then "
        "payment_failed)",
    )
    kind: Literal["service", "marketing"]
    article: str | None = Field(None, description="a knowledge article id for {article}")
    text: OfferText


class ProactiveConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_per_day: int = Field(1, ge=0, le=20)
    contacted: list[str] = Field(default_factory=list)
    rules: list[ProactiveRule] = Field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path = RULES, articles: Sequence[BankItem] = ()) -> ProactiveConfig:
        """The rules of `path`; a rule naming an article not among `articles` (when given)
        is an error, like any invalid field: each names the file."""
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            config = cls.model_validate(doc)
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(path), str(exc)) from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(str(path), f"{where}: {first['msg']}") from None
        names = [r.name for r in config.rules]
        if len(names) != len(set(names)):
            raise ConfigError(
                str(path),
                f"rule names used twice: {sorted({n for n in names if names.count(n) > 1})}",
            )
        known = {a.id for a in articles if a.kind == "article"}
        for r in config.rules:
            if r.article is not None and articles and r.article not in known:
                raise ConfigError(str(path), f"rule {r.name!r}: no knowledge article {r.article!r}")
        return config


@dataclass(frozen=True, slots=True)
class Offer:
    rule: str
    kind: str
    text: str
    trigger: str  # the event id that fired it
    article: str | None


def _eta(value: object, language: str) -> str | None:
    if isinstance(value, str):
        said = value
        try:
            value = datetime.fromisoformat(said)
        except ValueError:
            return said[:40] or None
    if not isinstance(value, datetime):
        return None
    if language == "zh":
        return f"{value.month}月{value.day}日"
    return f"{value:%A} {value.day} {value:%B}"


_SPACES = re.compile(r"\s+")


def _in_order(
    events: Sequence[Event], steps: Sequence[str], start: datetime, trigger: Event
) -> bool:
    """Whether events of the types `steps` happened in that order (others may come
    between) from `start` until just before `trigger`; `events` newest first, as the
    store returns them (ties in time: the later stored first)."""
    at = next((i for i, e in enumerate(events) if e.id == trigger.id), len(events))
    want = 0
    for e in reversed(events[at + 1 :]):  # oldest first, up to the trigger
        if e.ts >= start and e.type == steps[want]:
            want += 1
            if want == len(steps):
                return True
    return False


def offer_key(rule: str, trigger: str) -> str:
    return hashlib.sha256(f"{rule}\0{trigger}".encode()).hexdigest()[:40]


class ProactiveHelp:
    def __init__(
        self,
        config: ProactiveConfig,
        history: HistoryStore,
        articles: Sequence[BankItem] = (),
        marketing_allowed: MarketingAllowed | None = None,
    ) -> None:
        self.config = config
        self.history = history
        self.articles: Mapping[str, BankItem] = {a.id: a for a in articles if a.kind == "article"}
        self.marketing_allowed = marketing_allowed
        self.window = max(
            (timedelta(hours=r.within_hours) for r in config.rules), default=timedelta(0)
        )

    def offer(
        self, customer_id: str, language: str = "en", now: datetime | None = None
    ) -> Offer | None:
        """The first rule (in the file's order) that fires for the customer now, or None."""
        if not self.config.rules:
            return None
        now = now or datetime.now(UTC)
        since = now - max(self.window, timedelta(days=1))
        events = self.history.events(customer_id, since=since, until=now, limit=2000)
        made = [e for e in events if e.type == OFFER_EVENT]
        if sum(e.ts > now - timedelta(days=1) for e in made) >= self.config.max_per_day:
            return None
        offered = {str((e.attributes or {}).get("trigger")) for e in made}
        for rule in self.config.rules:
            found = self._fires(rule, customer_id, events, offered, language, now)
            if found is not None:
                return found
        return None

    def _fires(
        self,
        rule: ProactiveRule,
        customer_id: str,
        events: Sequence[Event],
        offered: set[str],
        language: str,
        now: datetime,
    ) -> Offer | None:
        start = now - timedelta(hours=rule.within_hours)
        triggers = [e for e in events if e.type == rule.event and e.ts >= start]  # newest first
        if len(triggers) < rule.min_count or triggers[0].id in offered:
            return None
        earliest = triggers[rule.min_count - 1]  # the earliest of the counted ones
        if rule.after and not _in_order(events, rule.after, start, earliest):
            return None  # the steps before the trigger did not happen, or not in order
        first = earliest.ts
        stop = set(self.config.contacted) | set(rule.unless)
        if any(e.type in stop and e.ts >= first for e in events):
            return None  # they have been in touch (or bought) since
        if rule.kind == "marketing" and (
            self.marketing_allowed is None or not self.marketing_allowed(customer_id, now)
        ):
            return None
        text = self._words(rule, triggers[0], language)
        if text is None:
            return None
        return Offer(rule.name, rule.kind, text, triggers[0].id, rule.article)

    def _words(self, rule: ProactiveRule, trigger: Event, language: str) -> str | None:
        """The offer in `language` (English where the rule has no Chinese), or None when a
        placeholder it uses cannot be filled."""
        lang = "zh" if language == "zh" and rule.text.zh else "en"
        template = rule.text.zh if lang == "zh" else rule.text.en
        attrs = trigger.attributes or {}
        order: Order | None = None
        if trigger.order_id:
            try:
                order = self.history.get_order(trigger.order_id)
            except OrderNotFound:
                order = None
        values: dict[str, str | None] = {
            "order_id": trigger.order_id,
            "error_code": str(attrs["error_code"]) if attrs.get("error_code") else None,
            "product": (
                str(order.items[0].get("name"))
                if order is not None and order.items and order.items[0].get("name")
                else (str(attrs["product"]) if attrs.get("product") else None)
            ),
            "eta": _eta(attrs.get("eta") or (order.eta if order else None), lang),
            "article": self._article(rule.article, lang),
        }
        needed = {n for _, n, _, _ in string.Formatter().parse(template) if n}
        if any(not values.get(n) for n in needed):
            log.info("proactive rule %s: %s not known for %s", rule.name, needed, trigger.id)
            return None
        return _SPACES.sub(" ", template.format(**{n: values[n] for n in needed})).strip()

    def _article(self, article: str | None, language: str) -> str | None:
        if article is None:
            return None
        item = self.articles.get(f"zh:{article}" if language == "zh" else article)
        item = item or self.articles.get(article)
        return item.text.strip() if item else None

    def record(self, customer_id: str, offer: Offer, conversation_id: str, now: datetime) -> bool:
        """The offer on the customer's timeline (the audit trail and the rate limit), under
        an id made of the rule and the trigger: False when it is there already (another
        worker offered it a moment ago), so each trigger is offered once."""
        try:
            result = self.history.ingest_event(
                {
                    "id": "proactive:" + offer_key(offer.rule, offer.trigger),
                    "customer_id": customer_id,
                    "channel": "chat",
                    "type": OFFER_EVENT,
                    "ts": now,
                    "text": offer.text[:1000],
                    "attributes": {
                        "rule": offer.rule,
                        "kind": offer.kind,
                        "trigger": offer.trigger,
                        "article": offer.article,
                        "conversation_id": conversation_id,
                    },
                }
            )
        except EventConflict:
            return False
        except CustomerNotFound:
            log.warning("proactive offer for unknown customer %s not recorded", customer_id)
            return False
        return result.status == "created"
