"""Alembic environment: synchronous engine, crmflow's metadata, batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from db.models import Base

config = context.config


def run_migrations() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
