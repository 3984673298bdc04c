"""The queue's abandonment: each conversation's customer's last poll of the transcript
while waiting, and when the customer's page said it was leaving
(api/conversations/abandon.py); an index of the audit trail by action and time (the
queue's expected wait reads recent claims, api/conversations/queue.py)

Revision ID: api_0011
Revises: api_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0011"
down_revision = "api_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("customer_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("left_at", sa.DateTime(), nullable=True))
    op.create_index(
        "ix_conversation_transitions_action_ts", "conversation_transitions", ["action", "ts"]
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_transitions_action_ts", "conversation_transitions")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("left_at")
        batch.drop_column("customer_seen_at")
