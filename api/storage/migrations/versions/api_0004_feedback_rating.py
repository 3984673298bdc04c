"""Assist feedback, continued: the customer's 1-5 rating and whether the issue was solved
(kind "rating", asked by the bot after an agent hands a conversation back)

Revision ID: api_0004
Revises: api_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0004"
down_revision = "api_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assist_feedback") as batch:
        batch.add_column(sa.Column("rating", sa.Integer))
        batch.add_column(sa.Column("resolved", sa.Boolean))


def downgrade() -> None:
    with op.batch_alter_table("assist_feedback") as batch:
        batch.drop_column("resolved")
        batch.drop_column("rating")
