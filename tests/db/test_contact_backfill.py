"""Migration 0015 backfills every held customer's next-contact date from its clock start and tier rhythm."""

from __future__ import annotations

import os
import warnings
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crmflow.settings import sync_database_url
from db.migrate import upgrade
from db.models import Customer
from tests.conftest import _drop_postgres, _fresh_postgres

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backfill.db'}"
        return
    base = os.environ.get("CRMFLOW_TEST_DATABASE_URL")
    if not base:
        pytest.skip("CRMFLOW_TEST_DATABASE_URL is not set")
    url = _fresh_postgres(base, "backfill")
    yield url
    _drop_postgres(url)


def test_the_migration_backfills_next_contact_dates(empty_url: str) -> None:
    upgrade(empty_url, "0011")
    engine = sa.create_engine(sync_database_url(empty_url))
    meta = sa.MetaData()
    staff = sa.Table("staff", meta, autoload_with=engine)
    with warnings.catch_warnings():  # SQLite cannot reflect the lower(name) index; not needed here
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        customers = sa.Table("customers", meta, autoload_with=engine)
    rows = {
        # name: (tier, status, owned, last follow-up, assigned) → expected next contact
        "followed": (2, "active", True, T0, T0 - timedelta(days=100), T0 + timedelta(days=21)),
        "reassigned": (1, "active", True, T0 - timedelta(days=50), T0, T0 + timedelta(days=14)),
        "never_followed": (1, "pending", True, None, T0, T0 + timedelta(days=14)),
        "pooled": (2, "pool", False, T0, T0, None),
        "rejected": (2, "rejected", True, None, T0, None),
    }
    with engine.begin() as connection:
        owner = connection.execute(
            sa.insert(staff)
            .values(
                name="M",
                email="m@example.com",
                role="account_manager_l2",
                region="east",
                capacity=10,
                active=True,
            )
            .returning(staff.c.id)
        ).scalar_one()
        for name, (tier, status, owned, followed, assigned, _) in rows.items():
            connection.execute(
                sa.insert(customers).values(
                    name=name,
                    region="east",
                    industry="",
                    declared_annual_value=0,
                    tier=tier,
                    status=status,
                    owner_id=owner if owned else None,
                    last_follow_up_at=followed,
                    owner_assigned_at=assigned,
                    created_at=T0 - timedelta(days=400),
                    updated_at=T0,
                )
            )
    engine.dispose()

    upgrade(empty_url, "0015")
    engine = sa.create_engine(sync_database_url(empty_url))
    with engine.connect() as connection:  # the model's column type reads stored text / timestamptz as UTC
        found = dict(connection.execute(sa.select(Customer.name, Customer.next_contact_at)).all())
    engine.dispose()
    assert found == {name: expected for name, (*_, expected) in rows.items()}
