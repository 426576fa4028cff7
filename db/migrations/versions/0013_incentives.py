"""incentives: one award per manager and period, itemised line by line (DESIGN §3.8).

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incentive_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("rule_version", sa.String(length=80), nullable=False),
        sa.Column("total_points", sa.Double(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gated", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.String(length=200), nullable=False),
        sa.Column("appeal_id", sa.String(length=36), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["approval_requests.id"], name=op.f("fk_incentive_awards_appeal_id_approval_requests")
        ),
        sa.ForeignKeyConstraint(["manager_id"], ["staff.id"], name=op.f("fk_incentive_awards_manager_id_staff")),
        sa.ForeignKeyConstraint(["supervisor_id"], ["staff.id"], name=op.f("fk_incentive_awards_supervisor_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_awards")),
        sa.UniqueConstraint("period", "manager_id", name=op.f("uq_incentive_awards_period_manager_id")),
    )
    with op.batch_alter_table("incentive_awards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incentive_awards_manager_id"), ["manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incentive_awards_period"), ["period"], unique=False)

    op.create_table(
        "incentive_award_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=True),
        sa.Column("target", sa.Double(), nullable=True),
        sa.Column("actual", sa.Double(), nullable=True),
        sa.Column("attainment", sa.Double(), nullable=True),
        sa.Column("band_from", sa.Double(), nullable=True),
        sa.Column("band_points", sa.Double(), nullable=True),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.Column("points", sa.Double(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["incentive_awards.id"],
            name=op.f("fk_incentive_award_lines_award_id_incentive_awards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_award_lines")),
        sa.UniqueConstraint("award_id", "line_no", name=op.f("uq_incentive_award_lines_award_id_line_no")),
    )
    with op.batch_alter_table("incentive_award_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incentive_award_lines_award_id"), ["award_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incentive_award_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incentive_award_lines_award_id"))

    op.drop_table("incentive_award_lines")
    with op.batch_alter_table("incentive_awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incentive_awards_period"))
        batch_op.drop_index(batch_op.f("ix_incentive_awards_manager_id"))

    op.drop_table("incentive_awards")
