"""Fixtures of the retrieval tests: a `store` fixture parametrised over SQLite and a real
PostgreSQL (tests/postgres_fixtures.py) so the same store tests run on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from retrieval.store import SqlHistoryStore

    s = SqlHistoryStore.open(store_url)
    yield s
    s.close()
