"""The API as an application factory, for servers that import it by name in each worker
process: `python -m api --workers N` (uvicorn's own process manager) runs
`uvicorn api.asgi:app --factory --workers N`; gunicorn's uvicorn worker takes the same
string. Each worker builds its app from the environment (get_settings(): prefix
AGENT_ASSIST_) and loads its own intent model and retrieval. Several workers need a
database they can share (PostgreSQL: AGENT_ASSIST_HISTORY_URL=postgresql+psycopg://...)
and Redis (AGENT_ASSIST_REDIS_URL) for the WebSocket fan-out and the rate limits.

The history indexes are files each worker keeps current and saves: a worker claims its
own sub-folder (`worker-1`, `worker-2`, ... of index_dir and multilingual_index_dir) by
holding a lock on it for its lifetime, so no two workers write the same files and a
restarted worker takes over a free folder, index and all."""

from __future__ import annotations

import fcntl
import itertools
from pathlib import Path
from typing import IO

from fastapi import FastAPI

_claimed: list[IO[str]] = []  # the slot locks, held until the process ends


def claim_folder(base: Path) -> Path:
    """The first `base/worker-K` no other live process holds (flock on its .lock file)."""
    for k in itertools.count(1):
        folder = base / f"worker-{k}"
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / ".lock").open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _claimed.append(lock)
        return folder
    raise AssertionError("unreachable")


def app() -> FastAPI:
    """A new app from the environment's settings. Raises on a broken model or, in
    production mode, demo credentials: uvicorn then stops instead of restarting workers
    that would fail the same way."""
    from api import logs
    from api.config import get_settings
    from api.main import check_production, create_app, load_analyzer

    settings = get_settings().model_copy()
    logs.install(log_format=settings.log_format)
    settings.index_dir = claim_folder(Path(settings.index_dir))
    settings.multilingual_index_dir = claim_folder(Path(settings.multilingual_index_dir))
    if settings.mode == "production":
        check_production(settings)
    return create_app(settings, load_analyzer(settings))
