"""Alembic environment of the history's tables (versions in `alembic_version`); see
`retrieval.db.run_environment`."""

from __future__ import annotations

from alembic import context

from retrieval.db import run_environment
from retrieval.models import Base

run_environment(context, Base.metadata)
