"""review_plan_items: the improvement plan a supervisor adds when approving a review, tracked to its due dates.

Revision ID: 0017
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("baseline", sa.Double(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("measured_value", sa.Double(), nullable=True),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["manager_id"], ["staff.id"], name=op.f("fk_review_plan_items_manager_id_staff")),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], name=op.f("fk_review_plan_items_review_id_reviews")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_plan_items")),
        sa.UniqueConstraint("review_id", "position", name=op.f("uq_review_plan_items_review_id_position")),
    )
    with op.batch_alter_table("review_plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_plan_items_manager_id"), ["manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_plan_items_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_plan_items_review_id"))
        batch_op.drop_index(batch_op.f("ix_review_plan_items_manager_id"))
    op.drop_table("review_plan_items")
