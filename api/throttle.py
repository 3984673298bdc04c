"""Rate limits that are not per credential: log-ins, anonymous conversation starts and
WebSocket connects per client address (and per embedding site), unauthenticated intent
calls per address, and every credential's requests. Built on the `limits` library
(sliding-window counters; every entry expires with its window and is swept on the next
hit, so the table holds only recent clients), in memory or, with
`AGENT_ASSIST_REDIS_URL`, in Redis, so that several workers share one budget.

Client addresses come from the connection; behind a reverse proxy, start uvicorn with
the proxy trusted (`AGENT_ASSIST_TRUSTED_PROXIES`) so they are the customers', not the
proxy's."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from api.conversations.errors import Throttled

log = logging.getLogger("api.throttle")


class Throttle:
    """Named limits (`"login": "20/minute"`, ...). `hit(name, key)` counts one attempt and
    raises `Throttled` (429 with Retry-After) past the limit."""

    def __init__(self, limits: Mapping[str, str], storage_url: str | None = None) -> None:
        self.items: dict[str, RateLimitItem | None] = {
            name: (parse(spec) if spec and spec != "0" else None) for name, spec in limits.items()
        }
        self.storage: Storage = MemoryStorage()
        if storage_url:
            try:
                shared = storage_from_string(storage_url)
                if isinstance(shared, Storage):
                    self.storage = shared
            except Exception as exc:  # a missing Redis must not stop the service
                log.warning("rate limits in memory: %s (%s)", storage_url.split("@")[-1], exc)
        self.limiter = SlidingWindowCounterRateLimiter(self.storage)

    def hit(self, name: str, key: str, message: str | None = None) -> None:
        item = self.items.get(name)
        if item is None:
            return
        try:
            allowed = self.limiter.hit(item, name, key)
        except Exception as exc:  # storage down: fail open, loudly
            log.warning("rate limit %s not checked: %s", name, exc)
            return
        if allowed:
            return
        try:
            reset = self.limiter.get_window_stats(item, name, key).reset_time
            wait = max(1, math.ceil(reset - time.time()))
        except Exception:
            wait = item.get_expiry()
        raise Throttled(
            (message or f"too many requests ({name}, limit {item})") + f"; retry in {wait} s",
            wait,
        )
