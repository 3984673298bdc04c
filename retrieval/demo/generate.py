"""Seeded, reproducible demo-history generator.

    python -m retrieval.demo.generate --customers 300 --seed 7 --out var/history.db
    python -m retrieval.demo.generate --events 1000000 --seed 7 --out var/bench_history.db

Timestamps are relative to `now`, so the demo always looks current. The six named demo
customers of docs demo.md (ids C-0001..C-0006, see data/history/README.md) come first and
are the same for every seed; the rest are random multi-channel journeys drawn from
archetypes (browser, buyer, repeat buyer, returner, complainer, failed activation, fan).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime

from retrieval.demo.customers import demo_customers
from retrieval.demo.history_builder import History, load_phrases, random_customer
from retrieval.store import SqlHistoryStore

__all__ = ["History", "demo_customers", "generate", "generate_bulk", "random_customer", "write"]


def generate(
    customers: int = 300, seed: int = 7, now: datetime | None = None, demo: bool = True
) -> History:
    """`customers` customers in all (the demo six included when `demo`)."""
    now = now or datetime.now(UTC)
    p = load_phrases()
    h = demo_customers(now, p) if demo else History()
    rng = random.Random(seed)
    seq = iter(range(300000, 10**9))
    for k in range(len(h.customers), customers):
        h.extend(random_customer(f"C-{k + 1:06d}", now, rng, p, seq))
    return h


def write(h: History, store: SqlHistoryStore, batch: int = 20_000) -> None:
    for label, res in (
        ("customers", store.upsert_customers(h.customers)),
        ("orders", store.upsert_orders(h.orders)),
        ("tickets", store.upsert_tickets(h.tickets)),
    ):
        if res.errors:
            raise RuntimeError(f"{label}: {res.errors[:3]}")
    for k in range(0, len(h.events), batch):
        res = store.ingest_events(h.events[k : k + batch])
        if res.errors:
            raise RuntimeError(f"events: {res.errors[:3]}")


def generate_bulk(
    store: SqlHistoryStore,
    events: int,
    seed: int = 7,
    now: datetime | None = None,
    batch: int = 20_000,
) -> int:
    """Stream about `events` events of random customers into `store`. Returns the count."""
    now = now or datetime.now(UTC)
    p = load_phrases()
    rng = random.Random(seed)
    seq = iter(range(300000, 10**9))
    written, k = 0, 0
    pending = History()
    while written + len(pending.events) < events:
        k += 1
        pending.extend(random_customer(f"B-{k:07d}", now, rng, p, seq))
        if len(pending.events) >= batch:
            write(pending, store, batch)
            written += len(pending.events)
            pending = History()
    write(pending, store, batch)
    return written + len(pending.events)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m retrieval.demo.generate", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--customers", type=int, default=300)
    ap.add_argument(
        "--events",
        type=int,
        default=0,
        help="bulk mode: about this many events, random customers only",
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="var/history.db", help="SQLite file or database URL")
    ap.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds customers (make run)",
    )
    a = ap.parse_args(argv)
    url = a.out if "://" in a.out else f"sqlite:///{a.out}"
    store = SqlHistoryStore.open(url)
    if a.if_empty and store.count_customers():
        print(f"{url} already holds customers: not seeded again (make demo-reset redoes it)")
        store.close()
        return
    t0 = time.perf_counter()
    if a.events:
        n = generate_bulk(store, a.events, a.seed)
        print(f"{n} events written to {url} in {time.perf_counter() - t0:.1f}s")
    else:
        h = generate(a.customers, a.seed)
        write(h, store)
        print(
            f"{len(h.customers)} customers, {len(h.orders)} orders, {len(h.tickets)} tickets, "
            f"{len(h.events)} events written to {url} in {time.perf_counter() - t0:.1f}s"
        )
    store.close()


if __name__ == "__main__":
    main()
