"""The API's storage: its tables (`tables.py`) and their Alembic migrations
(`migrations/`), in the same database as the customer history, whose tables and
migrations belong to `retrieval`. `schema.open_database(url)` gives a migrated engine."""
