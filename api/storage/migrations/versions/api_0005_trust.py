"""Trust: idempotent customer messages (the client's message id), conversation close time
(customer tokens expire after it), agent roles and log-in lockout, and a durable webhook
outbox (one event row per state change, written in the transition's transaction; one
delivery row per URL with its next attempt and a lease so several workers never send the
same delivery twice)

Revision ID: api_0005
Revises: api_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0005"
down_revision = "api_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_turns") as batch:
        batch.add_column(sa.Column("client_message_id", sa.String(128)))
        batch.create_index(
            "ux_turns_client_message", ["conversation_id", "client_message_id"], unique=True
        )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime))
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="agent"))
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime))
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(sa.Column("event_id", sa.String(64)))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime))
        batch.add_column(sa.Column("lease_until", sa.DateTime))
        batch.create_index("ix_webhook_deliveries_due", ["status", "next_attempt_at"])
        batch.create_index("ux_webhook_deliveries_event_url", ["event_id", "url"], unique=True)
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(48), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("dispatched", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_outbox_events_pending", "outbox_events", ["dispatched", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_events_pending", table_name="outbox_events")
    op.drop_table("outbox_events")
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_index("ux_webhook_deliveries_event_url")
        batch.drop_index("ix_webhook_deliveries_due")
        batch.drop_column("lease_until")
        batch.drop_column("next_attempt_at")
        batch.drop_column("event_id")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.drop_column("role")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("closed_at")
    with op.batch_alter_table("conversation_turns") as batch:
        batch.drop_index("ux_turns_client_message")
        batch.drop_column("client_message_id")
