"""Languages: each conversation's current language (en / zh), set from the widget's locale
at the start and from each customer turn's script after (intent/language.py)

Revision ID: api_0010
Revises: api_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "api_0010"
down_revision = "api_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("language")
