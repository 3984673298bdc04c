"""Marketing suppression: each customer's suppression state as the watcher last saw it
(suppressed, until when, the reasons, a version for conditional updates, so one API
worker only fires `customer.suppressed` / `customer.released`) and the watcher's
high-water mark over the events (api/suppression_watch.py)

Revision ID: api_0008
Revises: api_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0008"
down_revision = "api_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suppression_state",
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("suppressed", sa.Boolean, nullable=False),
        sa.Column("until", sa.DateTime),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_suppression_state_until", "suppression_state", ["suppressed", "until"])
    op.create_index(
        "ix_suppression_state_checked", "suppression_state", ["suppressed", "checked_at"]
    )
    op.create_table(
        "watch_cursors",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("watch_cursors")
    op.drop_index("ix_suppression_state_checked", table_name="suppression_state")
    op.drop_index("ix_suppression_state_until", table_name="suppression_state")
    op.drop_table("suppression_state")
