"""notifications: deliveries per channel, preferences, read state, complaint original deadlines.

Revision ID: 0008
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
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
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("source_key", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_notifications_source_key"), ["source_key"], unique=False)
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_respond_by", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("original_resolve_by", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain_resends", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_key", sa.String(length=200), nullable=True),
        sa.Column("digest_leader_id", sa.Integer(), nullable=True),
        sa.Column("manual_retries", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_deliveries_notification_id_notifications"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["staff.id"], name=op.f("fk_notification_deliveries_recipient_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "notification_id", "channel", name=op.f("uq_notification_deliveries_notification_id_channel")
        ),
    )
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_deliveries_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notification_deliveries_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_deliveries_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_deliveries_digest_key"), ["digest_key"], unique=False)
    op.create_table(
        "notification_preferences",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("quiet_start", sa.String(length=8), nullable=True),
        sa.Column("quiet_end", sa.String(length=8), nullable=True),
        sa.Column("webhook_url", sa.String(length=500), nullable=True),
        sa.Column("webhook_format", sa.String(length=16), nullable=True),
        sa.Column("webhook_endpoint", sa.String(length=64), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_notification_preferences_staff_id_staff")),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_notification_preferences")),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notification_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_digest_key"))
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_status"))
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_notification_deliveries_notification_id"))
    op.drop_table("notification_deliveries")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("original_resolve_by")
        batch_op.drop_column("original_respond_by")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_source_key"))
        batch_op.drop_column("source_key")
        batch_op.drop_column("read_at")
