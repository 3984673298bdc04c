"""The demo credentials seeded by several API workers starting together on a fresh
PostgreSQL database (`make run-scaled`): one worker at a time (an advisory lock), so none
fails its start on a duplicate agent or key."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from api.config import Settings
from api.conversations.store import ConversationStore
from api.security import AuthService
from api.services import seed_demo
from api.storage.schema import open_database


def test_workers_seeding_a_fresh_postgresql_together_seed_once(pg_url: str) -> None:
    engine = open_database(pg_url)
    settings = Settings(history_url=pg_url)
    start = threading.Barrier(4)

    def worker(_: int) -> None:
        auth = AuthService(engine, ConversationStore(engine))
        start.wait()
        seed_demo(settings, auth)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(worker, range(4)))  # re-raises a worker's error
    auth = AuthService(engine, ConversationStore(engine))
    assert sorted(a.id for a in auth.agents()) == ["alice", "sofia"]
    assert len(auth.api_keys()) == 2
    engine.dispose()
