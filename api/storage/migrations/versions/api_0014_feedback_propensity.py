"""Randomised impressions (retrieval/ranker.py `Randomiser`): the feedback on a suggestion
records where the served list had it and the probability that the serving policy put it
there, so a replay of the log can estimate another ranking without bias
(bench/suggestion_feedback.py).

Revision ID: api_0014
Revises: api_0013
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0014"
down_revision = "api_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assist_feedback") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("propensity", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assist_feedback") as batch:
        batch.drop_column("propensity")
        batch.drop_column("position")
