"""tasks: delegate, original assignee, supervisor chain, chain override, reminders sent.

Revision ID: 0003
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delegate_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("original_assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("chain", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("allow_chain_override", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_foreign_key(batch_op.f("fk_tasks_delegate_id_staff"), "staff", ["delegate_id"], ["id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_tasks_original_assignee_id_staff"), "staff", ["original_assignee_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_tasks_delegate_id"), ["delegate_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_delegate_id"))
        batch_op.drop_constraint(batch_op.f("fk_tasks_original_assignee_id_staff"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_tasks_delegate_id_staff"), type_="foreignkey")
        batch_op.drop_column("reminders_sent")
        batch_op.drop_column("allow_chain_override")
        batch_op.drop_column("chain")
        batch_op.drop_column("original_assignee_id")
        batch_op.drop_column("delegate_id")
