"""reliability: review cycles scoped to a director's subtree; token expiry and last use.

Revision ID: 0009
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A director may run their own subtree's cycle for a period, so the period alone no longer names a cycle.
    with op.batch_alter_table("review_cycles") as batch:
        batch.drop_constraint("uq_review_cycles_period", type_="unique")
        batch.add_column(sa.Column("scope_staff_id", sa.Integer(), nullable=True))
        batch.create_index("ix_review_cycles_period", ["period"])
        batch.create_unique_constraint("uq_review_cycles_workflow_id", ["workflow_id"])
    with op.batch_alter_table("principals") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("principals") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
    with op.batch_alter_table("review_cycles") as batch:
        batch.drop_constraint("uq_review_cycles_workflow_id", type_="unique")
        batch.drop_index("ix_review_cycles_period")
        batch.drop_column("scope_staff_id")
        batch.create_unique_constraint("uq_review_cycles_period", ["period"])
