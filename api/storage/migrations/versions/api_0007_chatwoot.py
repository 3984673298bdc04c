"""Chatwoot agent bot: each Chatwoot conversation (account, display id) and the product
conversation its turns go to, and whether the hand-off was announced there
(api/integrations/chatwoot.py)

Revision ID: api_0007
Revises: api_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0007"
down_revision = "api_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chatwoot_conversations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.BigInteger, nullable=False),
        sa.Column("chatwoot_conversation_id", sa.BigInteger, nullable=False),
        sa.Column(
            "conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False
        ),
        sa.Column("contact_id", sa.BigInteger),
        sa.Column("handed_off", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ux_chatwoot_conversations",
        "chatwoot_conversations",
        ["account_id", "chatwoot_conversation_id"],
        unique=True,
    )
    op.create_index(
        "ix_chatwoot_conversations_conversation_id", "chatwoot_conversations", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_table("chatwoot_conversations")
