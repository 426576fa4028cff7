"""contact cadence: each customer's next-contact date, and the reminders sent before it.

Revision ID: 0015
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)

# The packaged rhythm when this migration was written (definitions/reclaim.yaml: contact.every_days).
# Frozen here so the migration means the same forever; the daily reclaim run re-derives every date
# from the definition in force, so a company with another rhythm is brought in line on its first run.
RHYTHM_DAYS = {1: 14, 2: 21}

# The later of the last follow-up and the owner's assignment, else the creation (db/repositories/contacts.py).
CLOCK_START = (
    "CASE WHEN last_follow_up_at IS NULL THEN COALESCE(owner_assigned_at, created_at) "
    "WHEN owner_assigned_at IS NULL THEN last_follow_up_at "
    "WHEN last_follow_up_at > owner_assigned_at THEN last_follow_up_at ELSE owner_assigned_at END"
)


def _days_after(dialect: str, days: int) -> str:
    if dialect == "sqlite":
        # Timestamps are text there: shift the date and time, keep the stored fraction as it was.
        return f"(strftime('%Y-%m-%d %H:%M:%S', {CLOCK_START}, '+{days} days') || substr({CLOCK_START}, 20))"
    return f"(({CLOCK_START}) + make_interval(hours => {days * 24}))"


def upgrade() -> None:
    # A nullable column and an index: both plain ALTERs on SQLite too (no table rebuild).
    op.add_column("customers", sa.Column("next_contact_at", UTC_TS, nullable=True))
    op.create_index(op.f("ix_customers_next_contact_at"), "customers", ["next_contact_at"])
    op.create_index("ix_customers_owner_id_next_contact_at", "customers", ["owner_id", "next_contact_at"])

    op.create_table(
        "contact_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_at", UTC_TS, nullable=False),
        sa.Column("run_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contact_reminders_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["staff.id"], name=op.f("fk_contact_reminders_owner_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_reminders")),
        sa.UniqueConstraint("customer_id", "due_at", name=op.f("uq_contact_reminders_customer_id_due_at")),
    )
    op.create_index(op.f("ix_contact_reminders_customer_id"), "contact_reminders", ["customer_id"])
    op.create_index(op.f("ix_contact_reminders_run_key"), "contact_reminders", ["run_key"])

    # Backfill, set-based: every held customer's next contact is its clock start plus its tier's rhythm.
    dialect = op.get_bind().dialect.name
    for tier, days in RHYTHM_DAYS.items():
        op.execute(
            f"UPDATE customers SET next_contact_at = {_days_after(dialect, days)} "
            f"WHERE tier = {tier} AND owner_id IS NOT NULL AND status IN ('pending', 'active')"
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_reminders_run_key"), table_name="contact_reminders")
    op.drop_index(op.f("ix_contact_reminders_customer_id"), table_name="contact_reminders")
    op.drop_table("contact_reminders")
    op.drop_index("ix_customers_owner_id_next_contact_at", table_name="customers")
    op.drop_index(op.f("ix_customers_next_contact_at"), table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("next_contact_at")
