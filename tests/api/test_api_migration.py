"""The two owners' migrations: the history's (retrieval/migrations, `alembic_version`)
and the API's (api/storage/migrations, `api_alembic_version`) upgrade and downgrade
cleanly and match their SQLAlchemy models, on SQLite and on a real PostgreSQL; a
database made when one chain held both is adopted without touching a table."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from api.storage import schema
from api.storage.tables import ServiceBase
from retrieval import db as history_db
from retrieval.models import Base
from retrieval.store import SqlHistoryStore

HISTORY_TABLES = {"customers", "orders", "tickets", "events"}
API_TABLES = {
    "conversations",
    "conversation_turns",
    "conversation_transitions",
    "agents",
    "agent_tokens",
    "api_keys",
    "outbox_events",
    "webhook_subscriptions",
    "webhook_deliveries",
    "assist_feedback",
    "chatwoot_conversations",
    "suppression_state",
    "watch_cursors",
}


API_HEAD = "api_0014"  # the API chain's newest revision


def _diff(conn, metadata, owned: set[str]) -> list:
    """Autogenerate's differences between `metadata` and the database, on `owned` tables."""
    ctx = MigrationContext.configure(
        conn,
        opts={"include_name": lambda name, kind, _p: kind != "table" or name in owned},
    )
    return compare_metadata(ctx, metadata)


def _versions(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(text(f"SELECT version_num FROM {table}"))]


def test_each_owner_creates_its_tables_and_matches_its_models(store_url):
    engine = history_db.make_engine(store_url)
    history_db.upgrade(engine)  # the history alone: what retrieval needs without the API
    names = set(inspect(engine).get_table_names())
    assert names >= HISTORY_TABLES and not API_TABLES & names
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= HISTORY_TABLES | API_TABLES
    with engine.connect() as conn:
        assert set(Base.metadata.tables) == HISTORY_TABLES
        assert set(ServiceBase.metadata.tables) == API_TABLES
        assert _diff(conn, Base.metadata, HISTORY_TABLES) == []
        assert _diff(conn, ServiceBase.metadata, API_TABLES) == []
        assert _versions(conn, "alembic_version") == ["0001"]
        assert _versions(conn, schema.VERSION_TABLE) == [API_HEAD]
    schema.downgrade(engine, "base")  # the API's tables go; the history stays
    names = set(inspect(engine).get_table_names())
    assert names >= HISTORY_TABLES and not API_TABLES & names
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    engine.dispose()


def test_a_database_part_way_up_the_api_chain_upgrades_to_head(tmp_path):
    engine = history_db.make_engine(f"sqlite:///{tmp_path}/old.db")
    schema.upgrade(engine, "api_0002")
    assert "webhook_deliveries" not in inspect(engine).get_table_names()
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    engine.dispose()


def _combined(engine, revision: str) -> None:
    """The state a database of the one-chain layout was left in at `revision`: the same
    tables, and only `alembic_version` holding that revision."""
    schema.upgrade(engine, f"api_{revision}" if revision != "0001" else "api_0001")
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {schema.VERSION_TABLE}"))
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_a_database_of_the_one_chain_layout_is_adopted_and_keeps_its_rows(tmp_path):
    engine = history_db.make_engine(f"sqlite:///{tmp_path}/combined.db")
    _combined(engine, "0005")  # before webhook subscriptions, Chatwoot, suppression, wrap-up
    SqlHistoryStore(engine).upsert_customers([{"id": "C-1", "name": "Ann"}])
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO conversation_turns (id, conversation_id, customer_id, role, text,"
                " ts, attributes) VALUES ('t1', 'conv-1', 'C-1', 'customer', 'hi',"
                " '2026-01-01 10:00:00', '{}')"
            )
        )
    assert "webhook_subscriptions" not in inspect(engine).get_table_names()
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= API_TABLES
    with engine.connect() as conn:
        assert _versions(conn, "alembic_version") == ["0001"]
        assert _versions(conn, schema.VERSION_TABLE) == [API_HEAD]
        assert conn.execute(text("SELECT text FROM conversation_turns")).scalar() == "hi"
        assert _diff(conn, ServiceBase.metadata, API_TABLES) == []
    schema.upgrade(engine)  # adopted once: a second start changes nothing
    engine.dispose()


def test_a_one_chain_database_at_its_first_revision_keeps_its_turn_table(tmp_path):
    engine = history_db.make_engine(f"sqlite:///{tmp_path}/first.db")
    _combined(engine, "0001")
    schema.upgrade(engine)  # api_0001 is not run again (the table exists): adopted, then on
    with engine.connect() as conn:
        assert _versions(conn, schema.VERSION_TABLE) == [API_HEAD]
    engine.dispose()


def test_an_old_database_survives_the_history_tools_before_the_api_adopts_it(tmp_path):
    """`make run` on a checkout with an old var/history.db: the demo generator opens the
    history first (nothing to do), the API then adopts the database; a history-only
    upgrade past 0001 would be refused with what to run."""
    url = f"sqlite:///{tmp_path}/old.db"
    engine = history_db.make_engine(url)
    _combined(engine, "0009")
    store = SqlHistoryStore.open(url)  # what retrieval.demo.generate does
    assert store.count_customers() == 0
    store.close()
    with engine.connect() as conn:
        assert _versions(conn, "alembic_version") == ["0009"]  # left for the API to adopt
    schema.upgrade(engine)
    with engine.connect() as conn:
        assert _versions(conn, "alembic_version") == ["0001"]
        assert _versions(conn, schema.VERSION_TABLE) == [API_HEAD]
    _combined(engine, "0009")
    with pytest.raises(RuntimeError, match="agent-assist migrate"):
        history_db.upgrade(engine, "0002")
    engine.dispose()


def test_workers_starting_together_on_postgresql_migrate_one_after_the_other(pg_url):
    """Three API workers start at once on a fresh PostgreSQL database: every one gets a
    schema at head, none fails on a table another one is creating (advisory lock)."""
    from concurrent.futures import ThreadPoolExecutor

    # a worker left waiting on another's lock errors out instead of hanging the suite
    waits = {"options": "-c lock_timeout=120s"}
    engines = [history_db.make_engine(pg_url, connect_args=waits) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(schema.upgrade, engines))  # re-raises a worker's error
    with engines[0].connect() as conn:
        assert _versions(conn, "alembic_version") == ["0001"]
        assert _versions(conn, schema.VERSION_TABLE) == [API_HEAD]
    for engine in engines:
        engine.dispose()
