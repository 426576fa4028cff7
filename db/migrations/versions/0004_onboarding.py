"""onboarding: customers.activated_at / status_reason / process_id, case-insensitive name+region dedupe, tier index

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("status_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("process_id", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_customers_tier"), ["tier"], unique=False)
    # An expression index (outside batch mode: SQLite's table copy cannot recreate expression indexes).
    op.create_index("uq_customers_lower_name_region", "customers", [sa.text("lower(name)"), "region"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_customers_lower_name_region", table_name="customers")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_tier"))
        batch_op.drop_column("process_id")
        batch_op.drop_column("status_reason")
        batch_op.drop_column("activated_at")
