"""Prometheus metrics of the service (module-level: one set per process).

Several worker processes (`python -m api --workers N`) share one folder,
PROMETHEUS_MULTIPROC_DIR, set by `python -m api` before the workers start (prometheus_client
reads it when it is imported): each process writes its values there, and /metrics
(`exposition`) adds them up. Gauges say how: "livesum" sums the live processes' values."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
DEFAULT_MULTIPROC_DIR = Path("var/prometheus")
# the files prometheus_client writes there (counter_<pid>.db, gauge_livesum_<pid>.db, ...)
_VALUE_FILE = re.compile(r"(?:counter|histogram|summary|gauge_[a-z]+)_\d+\.db")

TURNS = Counter("agent_assist_customer_turns_total", "customer turns by route", ["route"])
TRANSITIONS = Counter(
    "agent_assist_transitions_total", "ownership transitions that happened", ["action"]
)
REQUESTS = Histogram(
    "agent_assist_request_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
HANDOFFS = Counter(
    "agent_assist_handoffs_total",
    "conversations handed to a person, by kind of reason (api/conversations/handoff.py)",
    ["reason"],
)
WS_CONNECTIONS = Gauge(
    "agent_assist_websocket_connections",
    "open, authenticated WebSocket connections by stream",
    ["stream"],
    multiprocess_mode="livesum",
)
WEBHOOK_DELIVERIES = Counter(
    "agent_assist_webhook_deliveries_total",
    "webhook delivery attempts by outcome (delivered, retry: failed and due again, "
    "failed: given up)",
    ["outcome"],
)
# the micro-batcher of each model (intent/batching.py; batcher: intent-batcher, encoder-batcher)
INFERENCE = Histogram(
    "agent_assist_inference_seconds",
    "one batched forward pass",
    ["batcher"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
BATCH_SIZE = Histogram(
    "agent_assist_inference_batch_size",
    "texts in one forward pass",
    ["batcher"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
QUEUE_LENGTH = Gauge(
    "agent_assist_inference_queue_length",
    "callers waiting for a forward pass",
    ["batcher"],
    multiprocess_mode="livesum",
)
QUEUE_WAIT = Histogram(
    "agent_assist_inference_queue_wait_seconds",
    "from a caller's texts queued to its forward pass starting",
    ["batcher"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)


class BatchMetrics:
    """intent.batching.BatchObserver, observing into the histograms and gauge above."""

    def queued(self, name: str, length: int) -> None:
        QUEUE_LENGTH.labels(name).set(length)

    def batch(self, name: str, size: int, waits: Sequence[float], seconds: float) -> None:
        BATCH_SIZE.labels(name).observe(size)
        INFERENCE.labels(name).observe(seconds)
        wait = QUEUE_WAIT.labels(name)
        for w in waits:
            wait.observe(w)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def exposition() -> tuple[bytes, str]:
    """/metrics' body and content type: this process's metrics, or with several workers
    every worker's, added up."""
    if not multiprocess():
        return generate_latest(), CONTENT_TYPE_LATEST
    from prometheus_client import multiprocess as mp

    registry = CollectorRegistry()
    mp.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


def prepare_multiprocess_dir(default: Path = DEFAULT_MULTIPROC_DIR) -> Path:
    """Before the workers start: PROMETHEUS_MULTIPROC_DIR (the one set, else `default`),
    created, without an earlier run's values (only prometheus_client's own files go), and
    set in the environment the workers inherit."""
    folder = Path(os.environ.get(MULTIPROC_ENV) or default).absolute()
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        if _VALUE_FILE.fullmatch(f.name):
            f.unlink(missing_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def process_exit(pid: int | None = None) -> None:
    """A worker stops: its live gauges stop counting (multiprocess mode only)."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.mark_process_dead(pid if pid is not None else os.getpid())
