"""Wrap-ups: the structured summary saved when a conversation closes (api/conversations/
wrapup.py; also on the customer's timeline as a `chat_wrapup` event)

Revision ID: api_0009
Revises: api_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0009"
down_revision = "api_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("wrapup", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("wrapup")
