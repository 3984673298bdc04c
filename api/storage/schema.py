"""The database schema the API needs: the history's tables (retrieval's migrations) and
the API's own (`api/storage/migrations`), brought up to date in ONE transaction, history
first (a turn refers to its customer). On PostgreSQL the transaction holds an advisory
lock, so API workers starting together migrate one after the other.

Databases made before the API owned its migrations hold one chain in `alembic_version`:
0001 (the history and `conversation_turns`), then 0002..0009 (the API's tables). `upgrade`
adopts them as they are: the API's chain is stamped at the same step (`api_000N`) and the
history's set back to its own 0001; no table is touched."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text

from retrieval import db as history_db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "api_alembic_version"
HISTORY_VERSION_TABLE = history_db.VERSION_TABLE
# the single chain of before: its revision -> the API chain's revision at the same step
_COMBINED = {old: f"api_{old}" for old in history_db.BEFORE_SPLIT}
# PostgreSQL: one migrating process at a time per database (API workers start together)
_LOCK_KEY = 0x61676E74


def open_database(url: str) -> Engine:
    """An engine for `url` whose schema is up to date (a fresh database is created)."""
    engine = history_db.make_engine(url)
    upgrade(engine)
    return engine


def upgrade(target: str | Engine, revision: str = "head") -> None:
    """Bring the history's schema to its head and the API's to `revision`."""
    engine = history_db.make_engine(target) if isinstance(target, str) else target
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # released when this transaction ends
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        _adopt_combined_chain(conn)
        history_db.migrate(conn)
        command.upgrade(_config(conn), revision)
    if isinstance(target, str):
        engine.dispose()


def downgrade(target: str | Engine, revision: str = "base") -> None:
    """Take the API's tables down to `revision` (the history's are left as they are)."""
    engine = history_db.make_engine(target) if isinstance(target, str) else target
    with engine.begin() as conn:
        command.downgrade(_config(conn), revision)
    if isinstance(target, str):
        engine.dispose()


def _config(conn: Connection) -> Config:
    return history_db.connection_config(conn, MIGRATIONS)


def _adopt_combined_chain(conn: Connection) -> None:
    tables = set(inspect(conn).get_table_names())
    found = history_db.versions(conn)
    if VERSION_TABLE in tables or len(found) != 1:
        return
    (old,) = found
    if old in _COMBINED:
        adopted = _COMBINED[old]
    elif old == "0001" and "conversation_turns" in tables:
        adopted = "api_0001"
    else:  # a history of today's layout, or nothing of the API's yet
        return
    command.stamp(_config(conn), adopted)
    conn.execute(text(f"UPDATE {HISTORY_VERSION_TABLE} SET version_num = '0001'"))
