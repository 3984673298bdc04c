"""The API workers' background loops (the suppression and proactive watchers, the queue
sweep, the suggestion learner, the model reload check) share one way to repeat a step:
every `interval_s` until the lifespan's stop event, a failure logged and retried at the
next tick (the database may be down a while), a step that reports a backlog run again at
once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("api.background")


async def _pause(interval_s: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(interval_s):
            await stop.wait()


async def every(
    interval_s: float,
    stop: asyncio.Event,
    step: Callable[[], Awaitable[object]],
    what: str,
    *,
    wait_first: bool = False,
) -> None:
    """Run `step` every `interval_s` until `stop` is set (after a first pause with
    `wait_first`). `step` returning True means more is waiting: it runs again at once."""
    if wait_first:
        await _pause(interval_s, stop)
    while not stop.is_set():
        again = False
        try:
            again = (await step()) is True
        except Exception as exc:
            log.warning("%s failed (%s); retrying", what, type(exc).__name__)
        if not again:
            await _pause(interval_s, stop)
