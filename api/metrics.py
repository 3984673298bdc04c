"""Prometheus metrics of the service (module-level: one registry per process)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
