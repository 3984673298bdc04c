"""Customer context: what an agent must see in five seconds (profile, open orders and
tickets, the last interaction on each channel, the sentiment trend, the journey stage),
plus the customer facts used to fill reply templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from retrieval.journey import DialogueTurn, JourneyModel, StageResult
from retrieval.schemas import Customer, Event, Order, Ticket
from retrieval.store import HistoryStore
from retrieval.suppression import (
    AUTHORED,
    SentimentFn,
    Suppression,
    SuppressionReason,
    SuppressionRules,
)


@dataclass(frozen=True, slots=True)
class OrderView:
    id: str
    status: str
    summary: str  # first item (+N)
    eta: datetime | None
    carrier: str | None
    tracking_url: str | None


@dataclass(frozen=True, slots=True)
class TicketView:
    id: str
    topic: str
    status: str
    priority: str
    opened_at: datetime
    summary: str


@dataclass(frozen=True, slots=True)
class Interaction:
    channel: str
    ts: datetime
    type: str
    text: str
    intent: str | None


@dataclass(frozen=True, slots=True)
class SentimentTrend:
    recent: float | None  # mean compound of the last 7 days (current message included)
    previous: float | None  # mean compound 8-60 days ago
    trend: str  # worsening / improving / stable / unknown
    negative_recently: bool  # a clearly negative message in the last 7 days
    samples: int


@dataclass(frozen=True, slots=True)
class CustomerContext:
    customer_id: str | None
    name: str | None
    tier: str | None
    customer_since: datetime | None
    marketing_opt_out: bool
    orders_count: int
    lifetime_value: float
    open_orders: list[OrderView]
    open_tickets: list[TicketView]
    last_interactions: list[Interaction]  # one per channel, newest first
    sentiment: SentimentTrend
    stage: StageResult
    facts: dict[str, str] = field(default_factory=dict)  # slot values for reply templates
    summary: str = ""  # one line for the panel header
    # marketing suppression now (retrieval/suppression.py); computed by ContextBuilder
    suppression: Suppression = field(default_factory=lambda: Suppression(True))

    @property
    def marketing_allowed(self) -> bool:
        return self.suppression.allowed

    @property
    def marketing_until(self) -> datetime | None:
        return self.suppression.until

    @property
    def suppression_reasons(self) -> list[SuppressionReason]:
        return self.suppression.reasons

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_sentiment() -> SentimentFn:
    """The product's analyzer (intent.sentiment), built when first needed."""
    from intent.sentiment import SentimentAnalyzer

    analyzer = SentimentAnalyzer()
    return lambda text: analyzer.analyze(text).compound


def _when(ts: datetime, now: datetime, language: str = "en") -> str:
    days = (now.date() - ts.date()).days
    if language == "zh":
        near = {0: "今天", 1: "昨天", -1: "明天", -2: "后天"}
        return near.get(days) or f"{ts.month}月{ts.day}日（周{_ZH_WEEKDAYS[ts.weekday()]}）"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"on {ts:%a %d %b}"


_ZH_WEEKDAYS = "一二三四五六日"
# the words of a Chinese reply for the facts that are not names or numbers
_VIA = {
    "en": {"phone": "by phone", "email": "by e-mail", "chat": "in the chat", "store": "in store"},
    "zh": {"phone": "通过电话", "email": "通过邮件", "chat": "通过在线客服", "store": "在门店"},
}
_ZH_STATUS = {
    "placed": "已下单",
    "paid": "已付款",
    "shipped": "已发货",
    "in_transit": "运输中",
    "out_for_delivery": "派送中",
}


def _mean(xs: Sequence[float]) -> float | None:
    return round(sum(xs) / len(xs), 3) if xs else None


class ContextBuilder:
    def __init__(
        self,
        store: HistoryStore,
        journey: JourneyModel | None = None,
        sentiment: SentimentFn | None = None,
        history_days: int = 365,
        suppression: SuppressionRules | None = None,
    ) -> None:
        self.store = store
        self.journey = journey or JourneyModel()
        self._sentiment = sentiment
        self.history_days = history_days
        # the suppression rules read for the same stage model as the journey
        self.suppression = suppression or SuppressionRules.load(model=self.journey.config.model)

    def score(self, text: str) -> float:
        """Compound sentiment of `text`, by the builder's analyzer."""
        return self._score(text)

    def _score(self, text: str) -> float:
        if self._sentiment is None:
            self._sentiment = default_sentiment()
        return float(self._sentiment(text))

    def sentiment_trend(
        self, events: Sequence[Event], now: datetime, current: float | None
    ) -> SentimentTrend:
        recent: list[float] = [] if current is None else [current]
        previous: list[float] = []
        for e in events:
            if e.type not in AUTHORED and "sentiment" not in e.attributes:
                continue
            age = (now - e.ts).days
            if age > 60:
                continue
            raw = e.attributes.get("sentiment")
            value = float(raw) if isinstance(raw, int | float) else self._score(e.text)
            (recent if age <= 7 else previous).append(value)
        r, p = _mean(recent), _mean(previous)
        if r is None or p is None:
            trend = "unknown" if r is None else ("negative" if r < -0.3 else "stable")
        else:
            trend = "worsening" if r < p - 0.2 else "improving" if r > p + 0.2 else "stable"
        return SentimentTrend(
            r, p, trend, any(v <= -0.3 for v in recent), len(recent) + len(previous)
        )

    def facts(
        self,
        customer: Customer | None,
        orders: Sequence[Order],
        tickets: Sequence[Ticket],
        events: Sequence[Event],
        now: datetime,
        language: str = "en",
    ) -> dict[str, str]:
        """Slot values for reply templates; dates, statuses and channels written as
        `language`'s replies say them (en, zh), names and numbers as they are."""
        zh = language == "zh"
        f: dict[str, str] = {}
        if customer is not None:
            f["first_name"] = customer.first_name
            f["customer_name"] = customer.name
            since = customer.customer_since
            if since:
                f["customer_since"] = f"{since.year}年{since.month}月" if zh else f"{since:%B %Y}"
            if customer.city:
                f["delivery_city"] = customer.city
        open_orders = [o for o in orders if o.is_open]
        focus = (
            open_orders[0]
            if len(open_orders) == 1
            else (orders[0] if orders and not open_orders else None)
        )
        if focus is not None:
            f["order_number"] = focus.id
            f["product"] = str(focus.items[0].get("name", "")) if focus.items else ""
            if focus.carrier:
                f["carrier"] = focus.carrier
            if focus.tracking_url:
                f["tracking_url"] = focus.tracking_url
            if focus.eta and focus.is_open:
                f["eta"] = _when(focus.eta, now, language)
            if focus.delivery_city:
                f["delivery_city"] = focus.delivery_city
        if len(open_orders) >= 2:
            f["open_orders"] = (
                "、".join(
                    f"{o.id}（{o.summary}，{_ZH_STATUS.get(o.status, o.status)}）"
                    for o in open_orders
                )
                if zh
                else ", ".join(
                    f"{o.id} ({o.summary}, {o.status.replace('_', ' ')})" for o in open_orders
                )
            )
        open_tickets = [t for t in tickets if t.is_open]
        if open_tickets:
            f["ticket_id"] = open_tickets[0].id
        contact = next(
            (
                e
                for e in events
                if e.channel in ("phone", "email", "chat", "store") and e.type in AUTHORED
            ),
            None,
        )
        if contact is not None:
            via = _VIA["zh" if zh else "en"][contact.channel]
            when = _when(contact.ts, now, language)
            f["last_contact"] = f"{when}{via}" if zh else f"{when} {via}"
        return {k: v for k, v in f.items() if v}

    def build(
        self,
        customer_id: str | None,
        intent: str | None = None,
        now: datetime | None = None,
        current_text: str | None = None,
        dialogue: Sequence[DialogueTurn] = (),
        conversation_id: str | None = None,
        language: str = "en",
    ) -> CustomerContext:
        """Context of `customer_id` (None: an anonymous visitor), its stage read from the
        current intent, this conversation's earlier turns (`dialogue`) and the history;
        `facts` as `language`'s replies write them. Raises CustomerNotFound."""
        now = now or datetime.now(UTC)
        customer: Customer | None = None
        orders: list[Order] = []
        tickets: list[Ticket] = []
        events: list[Event] = []
        if customer_id:
            read = self.store.history(customer_id, since=now - timedelta(days=self.history_days))
            customer, orders, tickets, events = (
                read.customer,
                read.orders,
                read.tickets,
                read.events,
            )
        stage = self.journey.infer(intent, events, orders, tickets, now, dialogue, conversation_id)
        current = self._score(current_text) if current_text else None
        trend = self.sentiment_trend(events, now, current)
        last: dict[str, Interaction] = {}
        for e in events:  # newest first
            if e.channel not in last:
                last[e.channel] = Interaction(
                    e.channel, e.ts, e.type, (e.text or e.type)[:140], e.intent
                )
        open_orders = [
            OrderView(o.id, o.status, o.summary, o.eta, o.carrier, o.tracking_url)
            for o in orders
            if o.is_open
        ]
        open_tickets = [
            TicketView(t.id, t.topic, t.status, t.priority, t.opened_at, t.summary)
            for t in tickets
            if t.is_open
        ]
        value = round(sum(o.total for o in orders if o.status not in ("cancelled", "refunded")), 2)
        parts = [customer.name if customer else "anonymous visitor"]
        if customer:
            parts.append(f"{customer.tier}, {len(orders)} orders")
        if open_orders:
            parts.append(f"{len(open_orders)} open order(s)")
        if open_tickets:
            parts.append(f"open ticket {open_tickets[0].id} ({open_tickets[0].topic})")
        parts.append(f"stage {stage.stage}")
        if trend.negative_recently:
            parts.append("recently negative")
        return CustomerContext(
            customer_id=customer.id if customer else None,
            name=customer.name if customer else None,
            tier=customer.tier if customer else None,
            customer_since=customer.customer_since if customer else None,
            marketing_opt_out=customer.marketing_opt_out if customer else False,
            orders_count=len(orders),
            lifetime_value=value,
            open_orders=open_orders,
            open_tickets=open_tickets,
            last_interactions=sorted(last.values(), key=lambda i: i.ts, reverse=True),
            sentiment=trend,
            stage=stage,
            facts=self.facts(customer, orders, tickets, events, now, language),
            summary=" · ".join(parts),
            suppression=self.suppression.evaluate(
                now,
                opt_out=customer.marketing_opt_out if customer else False,
                events=events,
                tickets=tickets,
                stage=stage.stage,
                current_sentiment=current,
                score=self._score,
            ),
        )
