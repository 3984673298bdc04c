"""API records, continued: webhook delivery log, assist feedback

Revision ID: api_0003
Revises: api_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0003"
down_revision = "api_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("delivered_at", sa.DateTime),
    )
    op.create_index("ix_webhook_deliveries_created_at", "webhook_deliveries", ["created_at"])
    op.create_table(
        "assist_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(64)),
        sa.Column("turn_id", sa.String(64)),
        sa.Column("actor", sa.String(96), nullable=False),
        sa.Column("suggestion_id", sa.String(128)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("suggestion_text", sa.Text),
        sa.Column("edited_text", sa.Text),
        sa.Column("predicted_intent", sa.String(64)),
        sa.Column("corrected_intent", sa.String(64)),
        sa.Column("ts", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_feedback_conversation_id", "assist_feedback", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("assist_feedback")
    op.drop_table("webhook_deliveries")
