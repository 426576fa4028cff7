"""targets: target sets per person and period, their versions, daily progress snapshots and check-ins.

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("director_id", sa.Integer(), nullable=True),
        sa.Column("workflow_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("turn", sa.String(length=16), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("counter_rounds", sa.Integer(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("agreed_version", sa.Integer(), nullable=True),
        sa.Column("agreed_values", sa.JSON(), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("definition_version", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["director_id"], ["staff.id"], name=op.f("fk_target_sets_director_id_staff")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_target_sets_staff_id_staff")),
        sa.ForeignKeyConstraint(["supervisor_id"], ["staff.id"], name=op.f("fk_target_sets_supervisor_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_sets")),
        sa.UniqueConstraint("period", "staff_id", name=op.f("uq_target_sets_period_staff_id")),
        sa.UniqueConstraint("workflow_id", name=op.f("uq_target_sets_workflow_id")),
    )
    with op.batch_alter_table("target_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_sets_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_sets_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_sets_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_sets_supervisor_id"), ["supervisor_id"], unique=False)

    op.create_table(
        "target_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_day", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("off_pace", sa.JSON(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledgement", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["staff.id"], name=op.f("fk_target_checkins_acknowledged_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["target_set_id"], ["target_sets.id"], name=op.f("fk_target_checkins_target_set_id_target_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_checkins")),
        sa.UniqueConstraint(
            "target_set_id", "checkpoint_day", name=op.f("uq_target_checkins_target_set_id_checkpoint_day")
        ),
    )
    with op.batch_alter_table("target_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_checkins_target_set_id"), ["target_set_id"], unique=False)

    op.create_table(
        "target_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.Column("actual", sa.Double(), nullable=True),
        sa.Column("expected", sa.Double(), nullable=False),
        sa.Column("elapsed_share", sa.Double(), nullable=False),
        sa.Column("pace", sa.Double(), nullable=True),
        sa.Column("attainment", sa.Double(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_set_id"], ["target_sets.id"], name=op.f("fk_target_progress_target_set_id_target_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_progress")),
        sa.UniqueConstraint("target_set_id", "metric", "day", name=op.f("uq_target_progress_target_set_id_metric_day")),
    )
    with op.batch_alter_table("target_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_progress_target_set_id"), ["target_set_id"], unique=False)

    op.create_table(
        "target_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approval_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["staff.id"], name=op.f("fk_target_versions_author_id_staff")),
        sa.ForeignKeyConstraint(
            ["target_set_id"], ["target_sets.id"], name=op.f("fk_target_versions_target_set_id_target_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_versions")),
        sa.UniqueConstraint("target_set_id", "version", name=op.f("uq_target_versions_target_set_id_version")),
    )
    with op.batch_alter_table("target_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_versions_target_set_id"), ["target_set_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("target_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_versions_target_set_id"))

    op.drop_table("target_versions")
    with op.batch_alter_table("target_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_progress_target_set_id"))

    op.drop_table("target_progress")
    with op.batch_alter_table("target_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_checkins_target_set_id"))

    op.drop_table("target_checkins")
    with op.batch_alter_table("target_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_sets_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_target_sets_status"))
        batch_op.drop_index(batch_op.f("ix_target_sets_staff_id"))
        batch_op.drop_index(batch_op.f("ix_target_sets_period"))

    op.drop_table("target_sets")
