"""History search at scale: generate N synthetic events into SQLite, rebuild the index
from the store with the real encoder, then time per-customer top-10 queries."""

from __future__ import annotations

import random
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from intent.encoder import Encoder
from retrieval.demo.generate import generate_bulk
from retrieval.index import HistoryIndex
from retrieval.store import SqlHistoryStore


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(
    events: int, encoder: Encoder, workdir: Path, seed: int = 7, queries: int = 2000
) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"history_{events}.db"
    for p in workdir.glob(f"history_{events}.db*"):
        p.unlink()
    store = SqlHistoryStore.open(f"sqlite:///{db}")
    t0 = time.perf_counter()
    n = generate_bulk(store, events, seed)
    ingest_s = time.perf_counter() - t0
    rss_before = rss_mb()
    t0 = time.perf_counter()
    index = HistoryIndex.rebuild(store, encoder, encoder_name="all-MiniLM-L6-v2")
    build_s = time.perf_counter() - t0
    rss_after = rss_mb()
    # cold encoder throughput on distinct texts (what a cache miss costs)
    sample = [f"customer message number {i} about order delivery and refunds" for i in range(512)]
    t0 = time.perf_counter()
    encoder.encode(sample, 128)
    cold_rate = len(sample) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    index.save(workdir / "index")
    save_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    HistoryIndex.load(workdir / "index", encoder, encoder_name="all-MiniLM-L6-v2")
    load_s = time.perf_counter() - t0
    rng = random.Random(seed)
    customers = index._customers
    texts = [
        "where is my order?",
        "my phone won't activate",
        "I want a refund",
        "delivery to Lyon",
        "cancel my order",
    ]
    qvecs = encoder.encode(texts, 8)
    lat = []
    for _ in range(queries):
        c = rng.choice(customers)
        q = qvecs[rng.randrange(len(texts))]
        t = time.perf_counter()
        hits = index.search_customer(c, q, k=10)
        lat.append((time.perf_counter() - t) * 1000)
        assert hits
    lat_text = []
    for k in range(200):
        c = rng.choice(customers)
        t = time.perf_counter()
        index.search_customer(c, f"{texts[k % len(texts)]} #{k}", k=10)
        lat_text.append((time.perf_counter() - t) * 1000)
    lat_sim = []
    for k in range(50):
        t = time.perf_counter()
        index.similar_cases(qvecs[k % len(texts)], k=10)
        lat_sim.append((time.perf_counter() - t) * 1000)
    # distinct fraction at which the build would drop to 2,000 events/s
    budget_s = n / 2000 - build_s
    break_even = max(0.0, budget_s * cold_rate / n)
    sizes = {p.name: round(p.stat().st_size / 1e6, 1) for p in (workdir / "index").iterdir()}
    store.close()
    return {
        "events": n,
        "customers": len(customers),
        "ingest_events_per_s": round(n / ingest_s),
        "build_s": round(build_s, 1),
        "build_events_per_s": round(n / build_s),
        "distinct_texts": index.distinct_texts,
        "encoder_calls_texts": index.encoded,
        "cold_encoder_texts_per_s": round(cold_rate, 1),
        "break_even_distinct": round(break_even, 4),
        "query_vector_ms": {
            "p50": round(float(np.percentile(lat, 50)), 3),
            "p99": round(float(np.percentile(lat, 99)), 3),
        },
        "query_text_uncached_ms": {
            "p50": round(float(np.percentile(lat_text, 50)), 2),
            "p99": round(float(np.percentile(lat_text, 99)), 2),
        },
        "similar_cases_ms": {
            "p50": round(float(np.percentile(lat_sim, 50)), 2),
            "p99": round(float(np.percentile(lat_sim, 99)), 2),
        },
        "rss_mb_before_build": round(rss_before),
        "rss_mb_after_build": round(rss_after),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "save_s": round(save_s, 1),
        "load_s": round(load_s, 1),
        "index_files_mb": sizes,
    }
