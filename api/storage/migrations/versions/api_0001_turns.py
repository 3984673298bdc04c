"""conversation turns: every customer, bot and agent message of a live conversation

Revision ID: api_0001
Revises:
Depends on the history schema (retrieval/migrations, 0001): `customers`.
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_turns",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id")),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ts", sa.DateTime, nullable=False),
        sa.Column("intent", sa.String(64)),
        sa.Column("attributes", sa.JSON, nullable=False),
    )
    op.create_index("ix_turns_conversation", "conversation_turns", ["conversation_id", "ts"])
    op.create_index("ix_conversation_turns_customer_id", "conversation_turns", ["customer_id"])


def downgrade() -> None:
    op.drop_table("conversation_turns")
