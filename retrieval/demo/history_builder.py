"""Building blocks of the demo-history generator: the records of one customer's journey
(`JourneyBuilder`), the phrase catalogue, and the random archetype journeys."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from intent.resources import data_path
from retrieval.schemas import CustomerIn, EventIn, OrderIn, TicketIn

PHRASES = data_path("history", "phrases.yml")
TRACKING = "https://track.example-shop.com/{carrier}/{number}"
ARCHETYPES = {  # archetype -> probability
    "browser": 0.18,
    "buyer": 0.32,
    "repeat": 0.16,
    "returner": 0.1,
    "complainer": 0.08,
    "activation": 0.06,
    "fan": 0.1,
}


@dataclass
class History:
    customers: list[CustomerIn] = field(default_factory=list)
    orders: list[OrderIn] = field(default_factory=list)
    tickets: list[TicketIn] = field(default_factory=list)
    events: list[EventIn] = field(default_factory=list)

    def extend(self, other: History) -> None:
        self.customers += other.customers
        self.orders += other.orders
        self.tickets += other.tickets
        self.events += other.events


class JourneyBuilder:
    """Builds one customer's records; ids are derived from the customer id."""

    def __init__(self, cid: str, now: datetime, rng: random.Random, phrases: dict[str, Any]):
        self.cid, self.now, self.rng, self.p = cid, now, rng, phrases
        self.h = History()
        self._n = 0

    def ago(self, days: float, hours: float = 0.0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    def event(self, channel: str, type_: str, at: datetime, text: str, **kw: Any) -> EventIn:
        self._n += 1
        e = EventIn(
            id=f"{self.cid}-E{self._n:04d}",
            customer_id=self.cid,
            channel=channel,  # type: ignore[arg-type]
            type=type_,
            ts=at,
            text=text,
            **kw,
        )
        self.h.events.append(e)
        return e

    def say(
        self, channel: str, intent: str, at: datetime, text: str | None = None, **kw: Any
    ) -> None:
        text = text or self.rng.choice(self.p["chat"][intent])
        type_ = {"chat": "chat_message", "phone": "call", "email": "email_received"}.get(
            channel, "message"
        )
        if channel == "phone":
            text = f"Customer called: {text}"
        self.event(channel, type_, at, text, intent=intent, **kw)

    def browse(self, start_days: float, n: int, min_days: float = 0.1) -> None:
        r, p = self.rng, self.p
        for _ in range(n):
            at = self.ago(min_days + (start_days - min_days) * r.random())
            kind = r.random()
            prod = r.choice(p["products"])["name"]
            if kind < 0.2:
                self.event(
                    "email", "newsletter_open", at, f"Opened newsletter: {r.choice(p['campaigns'])}"
                )
            elif kind < 0.35:
                self.event(
                    r.choice(["web", "app"]),
                    "search",
                    at,
                    f"Searched for '{r.choice(p['searches'])}'",
                )
            elif kind < 0.75:
                self.event(
                    r.choice(["web", "app"]), "product_view", at, f"Viewed product page: {prod}"
                )
            elif kind < 0.85:
                self.event("web", "delivery_info_view", at, "Viewed the delivery options page")
            elif kind < 0.93:
                self.event(
                    "store",
                    "store_visit",
                    at,
                    f"Visited the {r.choice(p['cities'])} store, asked about {prod}",
                )
            else:
                self.event("social", "ad_click", at, f"Clicked an ad: {r.choice(p['campaigns'])}")

    def order(
        self,
        oid: str,
        placed_days: float,
        items: list[dict[str, Any]],
        status: str | None = None,
        transit_days: float = 3.0,
        early: bool = False,
        channel: str = "web",
        city: str | None = None,
    ) -> OrderIn:
        r = self.rng
        placed = self.ago(placed_days)
        carrier = r.choice(self.p["carriers"])
        number = f"{r.randrange(10**9, 10**10)}"
        eta = placed + timedelta(days=transit_days)
        delivered_at = eta - timedelta(days=1) if early else eta
        if status is None:
            status = (
                "delivered"
                if delivered_at <= self.now
                else ("in_transit" if placed_days > 1 else "paid")
            )
        shipped = placed + timedelta(days=1) if status not in ("placed", "paid") else None
        self.event(
            "web" if channel == "web" else channel,
            "cart_add",
            placed - timedelta(minutes=20),
            f"Added {items[0]['name']} to cart",
        )
        self.event(
            channel,
            "order_placed",
            placed,
            f"Placed order {oid}: {', '.join(i['name'] for i in items)}",
            order_id=oid,
        )
        self.event(
            "email",
            "order_confirmation",
            placed + timedelta(minutes=2),
            f"Order {oid} confirmed",
            order_id=oid,
        )
        if shipped and shipped <= self.now:
            self.event(
                "email",
                "order_shipped",
                shipped,
                f"Order {oid} shipped with {carrier}",
                order_id=oid,
            )
        done = status in ("delivered", "returned", "refunded")
        if done:
            self.event(
                "app", "order_delivered", delivered_at, f"Order {oid} delivered", order_id=oid
            )
            if early:
                self.event(
                    "app",
                    "delivery_early",
                    delivered_at,
                    f"Order {oid} arrived a day before the promised date",
                    order_id=oid,
                )
        total = round(sum(i["price"] * i.get("qty", 1) for i in items), 2)
        o = OrderIn(
            id=oid,
            customer_id=self.cid,
            status=status,  # type: ignore[arg-type]
            items=[{k: i[k] for k in ("sku", "name", "price", "category")} for i in items],  # type: ignore[misc]
            total=total,
            placed_at=placed,
            shipped_at=shipped if shipped and shipped <= self.now else None,
            delivered_at=delivered_at if done else None,
            eta=eta,
            carrier=carrier,
            tracking_number=number if shipped else None,
            tracking_url=TRACKING.format(carrier=carrier.lower().replace(" ", "-"), number=number)
            if shipped
            else None,
            delivery_city=city,
        )
        self.h.orders.append(o)
        return o

    def ticket(
        self,
        tid: str,
        topic: str,
        opened: datetime,
        status: str,
        channel: str,
        summary: str,
        order_id: str | None = None,
        priority: str = "normal",
    ) -> None:
        self.h.tickets.append(
            TicketIn(
                id=tid,
                customer_id=self.cid,
                topic=topic,
                status=status,  # type: ignore[arg-type]  # validated by the model
                channel=channel,  # type: ignore[arg-type]
                priority=priority,  # type: ignore[arg-type]
                summary=summary,
                opened_at=opened,
                updated_at=opened,
                order_id=order_id,
            )
        )


def load_phrases(path: Path = PHRASES) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def product(p: dict[str, Any], sku: str) -> dict[str, Any]:
    return next(dict(x) for x in p["products"] if x["sku"] == sku)


def random_customer(
    cid: str, now: datetime, rng: random.Random, p: dict[str, Any], order_seq: Iterator[int]
) -> History:
    r = rng
    name = f"{r.choice(p['first_names'])} {r.choice(p['last_names'])}"
    city = r.choice(p["cities"])
    since = r.uniform(1, 1500)
    tier = r.choices(["standard", "silver", "gold", "vip"], [70, 18, 9, 3])[0]
    first, surname = name.split()[0].lower(), name.split()[-1].lower()
    cust = CustomerIn(
        id=cid,
        name=name,
        email=f"{first}.{surname}.{cid[-4:]}@example.com",
        city=city,
        country="FR",
        tier=tier,
        customer_since=now - timedelta(days=since),
        marketing_opt_out=r.random() < 0.12,
    )
    j = JourneyBuilder(cid, now, rng, p)
    j.h.customers.append(cust)
    kind = r.choices(list(ARCHETYPES), list(ARCHETYPES.values()))[0]
    horizon = min(since, 365)
    j.browse(horizon, r.randint(3, 12))
    if kind == "browser":
        if r.random() < 0.6:
            j.say(
                r.choice(["chat", "chat", "email"]),
                r.choice(
                    [
                        "delivery_period",
                        "delivery_options",
                        "check_payment_methods",
                        "check_refund_policy",
                    ]
                ),
                j.ago(r.uniform(0, 10)),
            )
        return j.h
    n_orders = {"repeat": r.randint(3, 8)}.get(kind, r.randint(1, 2))
    last: OrderIn | None = None
    for _ in range(n_orders):
        placed = r.uniform(0.2, horizon)
        items = [dict(x) for x in r.sample(p["products"], r.choice([1, 1, 1, 2]))]
        last = j.order(
            f"ORD-{next(order_seq)}",
            placed,
            items,
            transit_days=r.choice([2, 3, 3, 4, 5]),
            early=r.random() < 0.15,
            channel=r.choice(["web", "web", "app", "store"]),
            city=city,
        )
        if last.status in ("in_transit", "paid") and r.random() < 0.5:
            j.say(
                "chat",
                r.choice(["track_order", "delivery_period"]),
                j.ago(r.uniform(0, min(placed, 2))),
            )
    assert last is not None
    tid = f"T-{cid[2:]}"
    done = last.delivered_at is not None
    when = max(0.05, (now - (last.delivered_at or last.placed_at)).total_seconds() / 86400 - 0.1)
    after = j.ago(r.uniform(0, when))
    if kind == "returner" and done:
        j.say("chat", "get_refund", after, order_id=last.id)
        j.event(
            "web",
            "return_started",
            after,
            f"Started a return for order {last.id}",
            order_id=last.id,
        )
        j.event(
            "web",
            "refund_requested",
            after,
            f"Refund requested for order {last.id}",
            order_id=last.id,
        )
        if r.random() < 0.5:
            j.event(
                "email",
                "refund_issued",
                min(now, after + timedelta(days=3)),
                f"Refund issued for order {last.id}",
                order_id=last.id,
            )
    elif kind == "complainer":
        j.say(
            r.choice(["phone", "chat", "social"]),
            "complaint",
            after,
            attributes={"sentiment": -0.7},
        )
        j.ticket(
            tid,
            "complaint",
            after,
            r.choice(["open", "resolved"]),
            "phone",
            "Customer unhappy with delivery / product",
            order_id=last.id,
        )
    elif kind == "activation" and done:
        j.event(
            "app",
            "activation_failed",
            after,
            "Device activation failed: error ACT-301 (SIM not recognised)",
            order_id=last.id,
        )
        j.say(
            "phone",
            "activation_problem",
            after + timedelta(hours=3),
            attributes={"sentiment": -0.4},
        )
        j.ticket(
            tid,
            "activation_problem",
            after + timedelta(hours=3),
            r.choice(["open", "resolved"]),
            "phone",
            "Activation failure",
            order_id=last.id,
        )
    elif kind == "fan" and done:
        j.say("chat", "review", after)
        j.event(
            "web",
            "review_posted",
            after,
            f"Left a 5-star review for {last.items[0].name}",
            order_id=last.id,
        )
    return j.h
