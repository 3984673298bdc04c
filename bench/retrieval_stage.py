"""Journey-stage accuracy (part 3 of `python -m bench.retrieval`) and the labelled
evaluation set it reads (`data/journey/eval_journeys.jsonl`).

How the set was made: `python -m bench.retrieval_stage --out data/journey/eval_journeys.jsonl`
draws cases from 16 scripted scenarios (below). The LABEL of a case is the scenario's, fixed
when the scenario was written from the stage definitions in docs/architecture.md, never
read from the model's output; the seeded variation (which intent of the scenario's list,
how many days ago, background noise events from older journeys, other channels) makes
the cases differ. Some scenarios are deliberately hard (a customer with a full cart asking
about payment methods is `purchase`; the model's intent table says `consider`). Caveat: the
scenarios and the model were written by the same engineer, so the accuracy measures
consistency with the documented definitions, not agreement with human annotators.

Times are stored as `days_ago` and resolved against `now` when loaded.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from intent.resources import data_path
from retrieval.journey import JourneyConfig, JourneyModel
from retrieval.schemas import Event, Order, Ticket

DEFAULT_SET = data_path("journey", "eval_journeys.jsonl")

# name -> (label, current intents, history recipe)
SCENARIOS: dict[str, tuple[str, list[str], str]] = {
    "visitor_delivery_question": ("consider", ["delivery_period", "delivery_options"], "browse"),
    "visitor_payment_question": (
        "consider",
        ["check_payment_methods", "check_refund_policy"],
        "browse",
    ),
    "newsletter_signup": ("aware", ["newsletter_subscription"], "ads"),
    "first_contact_greeting": ("aware", ["greet"], "ads"),
    "cart_payment_question": ("purchase", ["check_payment_methods", "payment_issue"], "cart"),
    "placing_order": ("purchase", ["place_order", "set_up_shipping_address"], "cart"),
    "in_transit_question": (
        "onboard",
        ["track_order", "delivery_period", "delivery_options", "change_shipping_address"],
        "transit",
    ),
    "in_transit_greeting": ("onboard", ["greet", "affirm"], "transit"),
    "failed_activation": (
        "onboard",
        ["activation_problem", "complaint", "contact_human_agent"],
        "activation",
    ),
    "account_help": (
        "support",
        ["recover_password", "edit_account", "get_invoice", "check_invoice"],
        "old_orders",
    ),
    "refund": ("retain", ["get_refund", "track_refund"], "return"),
    "cancel": (
        "retain",
        ["cancel_order", "delete_account", "check_cancellation_fee"],
        "old_orders",
    ),
    "complaint_after_delivery": ("retain", ["complaint"], "delivered_late"),
    "happy_review": ("advocate", ["review", "thank_you"], "early"),
    "returning_customer_browsing": (
        "consider",
        ["delivery_period", "delivery_options"],
        "old_then_browse",
    ),
    "open_complaint_greeting": ("retain", ["greet", "contact_human_agent"], "open_complaint"),
}


def _noise(rng: random.Random) -> list[dict[str, Any]]:
    kinds = [
        ("page_view", "web"),
        ("newsletter_open", "email"),
        ("product_view", "app"),
        ("search", "web"),
    ]
    return [
        {"type": t, "channel": c, "days_ago": round(rng.uniform(20, 200), 2)}
        for t, c in rng.sample(kinds, rng.randint(0, 3))
    ]


def _recipe(name: str, rng: random.Random) -> dict[str, Any]:
    u = rng.uniform
    ev: list[dict[str, Any]] = _noise(rng)
    orders: list[dict[str, Any]] = []
    tickets: list[dict[str, Any]] = []
    if name in ("browse", "old_then_browse"):
        for _ in range(rng.randint(1, 4)):
            ev.append(
                {
                    "type": rng.choice(
                        ["product_view", "search", "delivery_info_view", "store_visit"]
                    ),
                    "channel": rng.choice(["web", "app", "store"]),
                    "days_ago": round(u(0, 6), 2),
                }
            )
        if name == "old_then_browse":
            orders.append(
                {"status": "delivered", "placed_days_ago": round(u(60, 300), 1), "transit_days": 3}
            )
    elif name == "ads":
        ev.append(
            {
                "type": rng.choice(["ad_click", "newsletter_open", "page_view"]),
                "channel": "social",
                "days_ago": round(u(0, 3), 2),
            }
        )
    elif name == "cart":
        ev += [
            {"type": "product_view", "channel": "web", "days_ago": round(u(0.1, 2), 2)},
            {"type": "cart_add", "channel": "web", "days_ago": round(u(0, 0.1), 3)},
        ]
        if rng.random() < 0.5:
            ev.append({"type": "payment_failed", "channel": "web", "days_ago": 0.01})
    elif name == "transit":
        orders.append(
            {
                "status": rng.choice(["in_transit", "shipped", "paid"]),
                "placed_days_ago": round(u(0.3, 4), 2),
                "transit_days": 5,
            }
        )
        if rng.random() < 0.5:
            orders.append(
                {"status": "delivered", "placed_days_ago": round(u(40, 200), 1), "transit_days": 3}
            )
    elif name == "activation":
        d = round(u(1, 5), 2)
        orders.append({"status": "delivered", "placed_days_ago": d + 1, "transit_days": 1})
        ev.append({"type": "activation_failed", "channel": "app", "days_ago": round(d * 0.5, 2)})
        if rng.random() < 0.6:
            ev.append(
                {
                    "type": "call",
                    "channel": "phone",
                    "days_ago": round(d * 0.3, 2),
                    "intent": "activation_problem",
                }
            )
            tickets.append(
                {"topic": "activation_problem", "status": "open", "days_ago": round(d * 0.3, 2)}
            )
    elif name == "old_orders":
        for _ in range(rng.randint(1, 5)):
            orders.append(
                {"status": "delivered", "placed_days_ago": round(u(20, 400), 1), "transit_days": 3}
            )
    elif name == "return":
        orders.append(
            {
                "status": rng.choice(["delivered", "returned"]),
                "placed_days_ago": round(u(8, 30), 1),
                "transit_days": 3,
            }
        )
        ev.append(
            {
                "type": rng.choice(["return_started", "refund_requested"]),
                "channel": "web",
                "days_ago": round(u(0.5, 4), 2),
            }
        )
    elif name == "delivered_late":
        orders.append(
            {"status": "delivered", "placed_days_ago": round(u(8, 25), 1), "transit_days": 6}
        )
    elif name == "early":
        orders.append(
            {
                "status": "delivered",
                "placed_days_ago": round(u(2, 6), 1),
                "transit_days": 3,
                "early": True,
            }
        )
        ev.append({"type": "delivery_early", "channel": "app", "days_ago": round(u(0.5, 2), 2)})
    elif name == "open_complaint":
        orders.append(
            {"status": "delivered", "placed_days_ago": round(u(10, 30), 1), "transit_days": 3}
        )
        ev.append(
            {
                "type": "call",
                "channel": "phone",
                "days_ago": round(u(1, 6), 2),
                "intent": "complaint",
            }
        )
        tickets.append({"topic": "complaint", "status": "open", "days_ago": round(u(1, 6), 2)})
    return {"events": ev, "orders": orders, "tickets": tickets}


def build(per_scenario: int = 8, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases = []
    for name, (label, intents, recipe) in SCENARIOS.items():
        for k in range(per_scenario):
            case = {
                "id": f"{name}-{k}",
                "scenario": name,
                "label": label,
                "intent": intents[k % len(intents)],
            }
            case.update(_recipe(recipe, rng))
            cases.append(case)
    return cases


@dataclass(frozen=True, slots=True)
class EvalCase:
    id: str
    label: str
    intent: str | None
    events: list[Event]
    orders: list[Order]
    tickets: list[Ticket]


def materialise(case: dict[str, Any], now: datetime) -> EvalCase:
    def ago(d: float) -> datetime:
        return now - timedelta(days=d)

    events = [
        Event(
            f"{case['id']}-e{i}",
            "X",
            e["channel"],
            e["type"],
            ago(e["days_ago"]),
            e["type"],
            e.get("intent"),
            None,
            None,
            {},
        )
        for i, e in enumerate(case["events"])
    ]
    orders = []
    for i, o in enumerate(case["orders"]):
        placed = ago(o["placed_days_ago"])
        eta = placed + timedelta(days=o["transit_days"])
        delivered = (
            (eta - timedelta(days=1) if o.get("early") else eta)
            if o["status"] in ("delivered", "returned")
            else None
        )
        orders.append(
            Order(
                f"{case['id']}-o{i}",
                "X",
                o["status"],
                [{"name": "item"}],
                10.0,
                "EUR",
                placed,
                None,
                delivered,
                eta,
                None,
                None,
                None,
                None,
            )
        )
    tickets = [
        Ticket(
            f"{case['id']}-t{i}",
            "X",
            t["topic"],
            t["status"],
            "phone",
            "normal",
            None,
            "",
            ago(t["days_ago"]),
            None,
        )
        for i, t in enumerate(case["tickets"])
    ]
    return EvalCase(case["id"], case["label"], case.get("intent"), events, orders, tickets)


def load(path: str | Path = DEFAULT_SET, now: datetime | None = None) -> list[EvalCase]:
    now = now or datetime.now(UTC)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [materialise(json.loads(line), now) for line in lines if line.strip()]


def run(path: str | Path = DEFAULT_SET, model: JourneyModel | None = None) -> dict[str, Any]:
    """Accuracy of the journey-stage model on the labelled set, per stage, and its errors.
    The set's labels are the seven `lifecycle` stages, so that model is the default
    whichever model data/journey/model.yml makes active (there is no labelled 5A set)."""
    model = model or JourneyModel(JourneyConfig.load(model="lifecycle"))
    cases = load(path)
    errors: Counter[str] = Counter()
    per: dict[str, list[int]] = {}
    for c in cases:
        pred = model.infer(c.intent, c.events, c.orders, c.tickets).stage
        per.setdefault(c.label, []).append(int(pred == c.label))
        if pred != c.label:
            errors[f"{c.id.rsplit('-', 1)[0]} ({c.intent}): {c.label} -> {pred}"] += 1
    hits = [h for v in per.values() for h in v]
    return {
        "cases": len(cases),
        "accuracy": round(sum(hits) / len(hits), 3),
        "per_stage": {s: round(sum(v) / len(v), 3) for s, v in sorted(per.items())},
        "errors": dict(errors.most_common()),
    }


def main(argv: list[str] | None = None) -> None:
    """Write the labelled set (the evaluation itself runs in `python -m bench.retrieval`)."""
    ap = argparse.ArgumentParser(prog="python -m bench.retrieval_stage")
    ap.add_argument("--out", type=Path, default=DEFAULT_SET)
    ap.add_argument("--per-scenario", type=int, default=8)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args(argv)
    cases = build(a.per_scenario, a.seed)
    a.out.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    print(f"{len(cases)} labelled journeys written to {a.out}")


if __name__ == "__main__":
    main()
