"""tasks.handler_workflow_id: tasks of an approval flow a process started are filed under the process.

Revision ID: 0016
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("handler_workflow_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("tasks", "handler_workflow_id")
