"""Alembic environment of the API's tables: versions in `api_alembic_version`, apart from
the history's (`alembic_version`, retrieval/migrations); see
`retrieval.db.run_environment`."""

from __future__ import annotations

from alembic import context

from api.storage.schema import VERSION_TABLE
from api.storage.tables import ServiceBase
from retrieval.db import run_environment

run_environment(context, ServiceBase.metadata, VERSION_TABLE)
