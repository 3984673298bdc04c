"""Revision 0002 (the API's tables) upgrades and downgrades cleanly on top of 0001, and
the schema matches the SQLAlchemy models, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import api.conversations.tables  # noqa: F401  (registers the API tables on Base)
from retrieval.db import downgrade, make_engine, upgrade
from retrieval.models import Base

API_TABLES = {
    "conversations",
    "conversation_transitions",
    "agents",
    "agent_tokens",
    "api_keys",
    "webhook_deliveries",
    "assist_feedback",
}


def test_upgrade_downgrade_round_trip(store_url):
    engine = make_engine(store_url)
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    downgrade(engine, "0001")
    names = set(inspect(engine).get_table_names())
    assert not API_TABLES & names and "conversation_turns" in names
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    engine.dispose()


def test_a_database_at_0002_upgrades_to_head(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    upgrade(engine, "0002")
    assert "webhook_deliveries" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    engine.dispose()
