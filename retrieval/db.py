"""Engines and the history's migrations. `make_engine` turns on WAL and foreign keys for
SQLite; `upgrade(url)` applies the Alembic migrations shipped in `retrieval/migrations`
(the history's tables only: customers, orders, tickets, events; the API migrates its own
tables on top, `api.storage.schema`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///var/history.db"
VERSION_TABLE = "alembic_version"
# Before the API took its tables into api/storage/migrations, this version table held one
# chain: 0001 (the history), then 0002..0009 (the API's tables). Such a database is the
# API's to adopt (api.storage.schema); until then its history part is at 0001.
BEFORE_SPLIT = frozenset(f"{n:04d}" for n in range(2, 10))


def make_engine(url: str = DEFAULT_URL, **kwargs: Any) -> Engine:
    """An engine for `url`. SQLite: WAL journal, foreign keys enforced, a parent folder
    created for a file database. PostgreSQL: pre-ping pooled connections."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if path and path != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(url: str, location: Path = MIGRATIONS) -> Config:
    """Alembic's configuration for the migrations in `location` (the history's by
    default) against `url`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def connection_config(conn: Connection, location: Path = MIGRATIONS) -> Config:
    """`alembic_config` for the migrations in `location`, run on the open `conn` (inside
    its transaction: see the environments' `run_environment`)."""
    cfg = alembic_config(conn.engine.url.render_as_string(hide_password=False), location)
    cfg.attributes["connection"] = conn
    return cfg


def migrate(conn: Connection, revision: str = "head") -> None:
    """Bring the history schema up to `revision` on an open connection, inside its
    transaction (the API runs it and its own migrations in one)."""
    cfg = connection_config(conn)
    if versions(conn) & BEFORE_SPLIT:
        head = ScriptDirectory.from_config(cfg).get_current_head()
        if revision in ("head", head) and head == "0001":
            return  # the history's part of the old chain is its head: nothing to do
        raise RuntimeError(
            "this database was migrated before the API kept its own migrations: run "
            "`agent-assist migrate` (or start the API) once to adopt it, then this again"
        )
    command.upgrade(cfg, revision)


def versions(conn: Connection, table: str = VERSION_TABLE) -> set[str]:
    """The revisions `table` holds (empty when there is no such table)."""
    if table not in inspect(conn).get_table_names():
        return set()
    return {str(v) for v in conn.execute(text(f"SELECT version_num FROM {table}")).scalars()}


def upgrade(target: str | Engine, revision: str = "head") -> None:
    """Bring the history schema at `target` (a URL or an engine) up to `revision`."""
    engine = make_engine(target) if isinstance(target, str) else target
    with engine.begin() as conn:
        migrate(conn, revision)
    if isinstance(target, str):
        engine.dispose()


def downgrade(target: str | Engine, revision: str = "base") -> None:
    engine = make_engine(target) if isinstance(target, str) else target
    with engine.begin() as conn:
        command.downgrade(connection_config(conn), revision)
    if isinstance(target, str):
        engine.dispose()


def run_environment(context: Any, metadata: MetaData, version_table: str = VERSION_TABLE) -> None:
    """The body of an Alembic `env.py` (the history's and the API's): migrate on the
    connection handed in `config.attributes["connection"]` (`migrate`, `upgrade`), else on
    `sqlalchemy.url`; versions kept in `version_table`."""
    config = context.config
    options = {"target_metadata": metadata, "version_table": version_table}
    if context.is_offline_mode():  # pragma: no cover - offline SQL generation is not used
        context.configure(url=config.get_main_option("sqlalchemy.url"), **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, **options)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
