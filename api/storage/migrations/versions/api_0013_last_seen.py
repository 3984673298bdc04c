"""Presence from activity (api/conversations/roster.py): when an agent's panel last made an
authenticated request. Routing (auto-assignment, the expected wait) counts an agent as
present only while this is recent, so a closed tab stops receiving chats.

Revision ID: api_0013
Revises: api_0012
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0013"
down_revision = "api_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("last_seen_at")
