"""customer history: customers, orders, tickets, events

(Databases made before the API owned its own migrations also got `conversation_turns`
here; `api.storage.schema.upgrade` adopts them.)

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("phone", sa.String(64)),
        sa.Column("city", sa.String(120)),
        sa.Column("country", sa.String(64)),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("customer_since", sa.DateTime),
        sa.Column("marketing_opt_out", sa.Boolean, nullable=False),
        sa.Column("email_opt_in", sa.Boolean, nullable=False),
        sa.Column("sms_opt_in", sa.Boolean, nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("placed_at", sa.DateTime, nullable=False),
        sa.Column("shipped_at", sa.DateTime),
        sa.Column("delivered_at", sa.DateTime),
        sa.Column("eta", sa.DateTime),
        sa.Column("carrier", sa.String(64)),
        sa.Column("tracking_number", sa.String(64)),
        sa.Column("tracking_url", sa.String(500)),
        sa.Column("delivery_city", sa.String(120)),
    )
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"])
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("order_id", sa.String(64), sa.ForeignKey("orders.id")),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime),
    )
    op.create_index("ix_tickets_customer_id", "tickets", ["customer_id"])
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("ts", sa.DateTime, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String(64)),
        sa.Column("order_id", sa.String(64)),
        sa.Column("ticket_id", sa.String(64)),
        sa.Column("attributes", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_customer_ts", "events", ["customer_id", "ts"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("tickets")
    op.drop_table("orders")
    op.drop_table("customers")
