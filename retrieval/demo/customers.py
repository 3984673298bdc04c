"""The six named customers of the demo stories (docs demo.md), fixed ids and histories;
see data/history/README.md."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from retrieval.demo.history_builder import History, JourneyBuilder, load_phrases, product
from retrieval.schemas import CustomerIn


def demo_customers(now: datetime, phrases: dict[str, Any] | None = None) -> History:
    """The six customers of the demo stories (fixed ids, names and histories)."""
    p = phrases or load_phrases()
    h = History()
    rng = random.Random(1)

    def customer(
        cid: str, name: str, city: str, since_days: float, tier: str = "standard", **kw: Any
    ) -> JourneyBuilder:
        first, last = name.split()[0].lower(), name.split()[-1].lower()
        h.customers.append(
            CustomerIn(
                id=cid,
                name=name,
                email=f"{first}.{last}@example.com",
                phone="+33 6 12 34 56 78",
                city=city,
                country="FR",
                tier=tier,
                customer_since=now - timedelta(days=since_days),
                **kw,
            )
        )
        return JourneyBuilder(cid, now, rng, p)

    # 1. visitor, no orders, asks about delivery to Lyon
    j = customer("C-0001", "Léa Martin", "Lyon", 2, marketing_opt_out=False)
    j.event("social", "ad_click", j.ago(2, 3), "Clicked an ad: Spring sale - up to 30% off audio")
    j.event("web", "product_view", j.ago(2, 2), "Viewed product page: QuietWave headphones")
    j.event("web", "product_view", j.ago(0, 1), "Viewed product page: AirLoop earbuds")
    j.event("web", "delivery_info_view", j.ago(0, 0.5), "Viewed the delivery options page")
    h.extend(j.h)
    # 2a. one order in transit
    j = customer("C-0002", "Tom Becker", "Paris", 400)
    j.browse(30, 4, min_days=3)
    j.order(
        "ORD-20417",
        2.2,
        [product(p, "AU-QC45")],
        status="in_transit",
        transit_days=3.0,
        city="Paris",
    )
    h.extend(j.h)
    # 2b. two open orders
    j = customer("C-0003", "Aisha Khan", "Marseille", 700)
    j.order(
        "ORD-20388",
        3.0,
        [product(p, "FA-JKT-RAIN")],
        status="in_transit",
        transit_days=4.0,
        city="Marseille",
    )
    j.order(
        "ORD-20431",
        0.5,
        [product(p, "CO-TAB11")],
        status="paid",
        transit_days=3.0,
        city="Marseille",
    )
    h.extend(j.h)
    # 3. the failed activation
    j = customer("C-0004", "Marco Rossi", "Lyon", 900)
    j.browse(20, 3, min_days=4)
    j.event("email", "newsletter_open", j.ago(5), "Opened newsletter: New Nova X5 in stock")
    j.order(
        "ORD-20402",
        3.0,
        [product(p, "PH-NOVA5")],
        status="delivered",
        transit_days=1.0,
        city="Lyon",
    )
    j.event(
        "app",
        "activation_failed",
        j.ago(1, 20),
        "Device activation failed for Nova X5 smartphone: error ACT-301 (SIM not recognised)",
        order_id="ORD-20402",
        attributes={"error_code": "ACT-301"},
    )
    j.say(
        "phone",
        "activation_problem",
        j.ago(1, 2),
        "my new Nova X5 won't activate, the SIM is not recognised",
        ticket_id="T-9004",
        order_id="ORD-20402",
        attributes={"sentiment": -0.5, "duration_s": 540},
    )
    j.ticket(
        "T-9004",
        "activation_problem",
        j.ago(1, 2),
        "open",
        "phone",
        "Nova X5 activation fails with ACT-301; customer called, awaiting level-2 check",
        order_id="ORD-20402",
        priority="high",
    )
    h.extend(j.h)
    # 4. long-standing, high-value customer who wants to cancel
    j = customer("C-0005", "Helen Park", "Bordeaux", 6 * 365, tier="vip")
    for k in range(24):
        prod = p["products"][k % len(p["products"])]
        j.order(f"ORD-1{k:04d}", 2100 - k * 85, [dict(prod)], status="delivered", city="Bordeaux")
    j.event(
        "web",
        "review_posted",
        j.ago(400),
        "Left a 5-star review for Zenbook 14 laptop",
        intent="review",
    )
    j.order(
        "ORD-20425",
        1.0,
        [product(p, "CO-BOOK14"), product(p, "AU-BUDS")],
        status="paid",
        city="Bordeaux",
    )
    h.extend(j.h)
    # 5. happy customer, last delivery arrived early
    j = customer("C-0006", "Sam Okafor", "Lille", 300, tier="silver")
    j.order("ORD-19950", 60, [product(p, "FA-SNK-RUN")], status="delivered", city="Lille")
    j.order(
        "ORD-20390",
        3.0,
        [product(p, "WE-WATCH2")],
        status="delivered",
        transit_days=3.0,
        early=True,
        city="Lille",
    )
    h.extend(j.h)
    return h
