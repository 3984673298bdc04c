"""The two sizes of the chaos test. `short` (the default, part of `make test`): two API
workers, a handful of customers, each fault once. `long` (`make test-chaos`, env
CHAOS_SCALE=long): more customers and agents, each fault more than once, a few minutes."""

from __future__ import annotations

import os
from dataclasses import dataclass

KILL_WORKER = "kill API worker"
RESTART_RASA = "restart Rasa"
RESTART_REDIS = "restart Redis"


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    workers: int  # API worker processes behind one port
    customers: int  # simulated customers, each chatting in one conversation after another
    agents: int  # simulated agents taking the queue
    faults: tuple[str, ...]  # injected in this order while the traffic flows
    gap_messages: int  # customer messages answered before each fault and after the last
    traffic_limit_s: float  # hard bound of the traffic phase (a safety net, not a check)

    def __post_init__(self) -> None:
        if self.workers < 2 or self.customers < 1 or self.agents < 1 or self.gap_messages < 1:
            raise ValueError("a chaos run needs 2+ workers, a customer, an agent and a gap")


SHORT = Scale(
    "short",
    workers=2,
    customers=6,
    agents=2,
    faults=(KILL_WORKER, RESTART_REDIS, RESTART_RASA),
    gap_messages=4,
    traffic_limit_s=600,
)
LONG = Scale(
    "long",
    workers=2,
    customers=14,
    agents=3,
    faults=(
        KILL_WORKER,
        RESTART_REDIS,
        RESTART_RASA,
        KILL_WORKER,
        RESTART_RASA,
        RESTART_REDIS,
        KILL_WORKER,
    ),
    gap_messages=15,
    traffic_limit_s=1200,
)
SCALES = {s.name: s for s in (SHORT, LONG)}


def scale_from_env() -> Scale:
    """CHAOS_SCALE=short (default) or long."""
    name = os.environ.get("CHAOS_SCALE", "short").strip().lower() or "short"
    if name not in SCALES:
        raise ValueError(f"CHAOS_SCALE={name!r}: choose one of {sorted(SCALES)}")
    return SCALES[name]
