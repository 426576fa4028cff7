"""Database layer: SQLAlchemy 2 models, engine/session, repositories, Alembic migrations."""
