"""reviews: review cycles (one per period) and account reviews (one per cycle and manager).

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "review_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("manager_count", sa.Integer(), nullable=False),
        sa.Column("definition_version", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cycles")),
        sa.UniqueConstraint("period", name=op.f("uq_review_cycles_period")),
    )
    with op.batch_alter_table("review_cycles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cycles_status"), ["status"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=True),
        sa.Column("at_risk_customer_ids", sa.JSON(), nullable=True),
        sa.Column("self_assessment", sa.JSON(), nullable=True),
        sa.Column("rework_rounds", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["cycle_id"], ["review_cycles.id"], name=op.f("fk_reviews_cycle_id_review_cycles")),
        sa.ForeignKeyConstraint(["manager_id"], ["staff.id"], name=op.f("fk_reviews_manager_id_staff")),
        sa.ForeignKeyConstraint(["supervisor_id"], ["staff.id"], name=op.f("fk_reviews_supervisor_id_staff")),
        sa.ForeignKeyConstraint(["decided_by"], ["staff.id"], name=op.f("fk_reviews_decided_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("cycle_id", "manager_id", name=op.f("uq_reviews_cycle_id_manager_id")),
        sa.UniqueConstraint("workflow_id", name=op.f("uq_reviews_workflow_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_manager_id"), ["manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_supervisor_id"), ["supervisor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_status"))
        batch_op.drop_index(batch_op.f("ix_reviews_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_manager_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_period"))
        batch_op.drop_index(batch_op.f("ix_reviews_cycle_id"))
    op.drop_table("reviews")
    with op.batch_alter_table("review_cycles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_cycles_status"))
    op.drop_table("review_cycles")
