"""Routing (api/conversations/roster.py): an agent's presence (online / away), skills
(the queues they serve) and concurrent-chat limit; a conversation's explicit queue (a
transfer to a queue); an index of each agent's open chats

Revision ID: api_0012
Revises: api_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0012"
down_revision = "api_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("presence", sa.String(8), nullable=False, server_default="online")
        )
        batch.add_column(sa.Column("skills", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("max_chats", sa.Integer(), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("queue", sa.String(32), nullable=True))
    op.create_index("ix_conversations_agent_state", "conversations", ["agent_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_conversations_agent_state", "conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("queue")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("max_chats")
        batch.drop_column("skills")
        batch.drop_column("presence")
