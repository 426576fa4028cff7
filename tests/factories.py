"""Builders for test data, written through the ORM into the test database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from crmflow.settings import Settings, get_settings
from db.engine import SessionFactory
from db.models import Customer, Staff, StaffRole
from db.repositories.staff import create_principal, forget_access

_counter = itertools.count(1)

# Clients of time-skipping test servers (see tests/conftest.py): their clock stalls on a workflow left
# without a worker, which is what a notification's delivery workflow is once the test's worker stops.
TIME_SKIPPING_CLIENTS: set[int] = set()


def worker_settings(client: Any, settings: Settings | None = None) -> Settings | None:
    """Settings for a test worker: no notification delivery on a time-skipping server."""
    if id(client) not in TIME_SKIPPING_CLIENTS:
        return settings
    return (settings or get_settings()).model_copy(update={"notifications_deliver": False})


@dataclass
class Org:
    """A director with one L1 manager above one L2 manager, plus tokens for every role."""

    director: Staff
    l1: Staff
    l2: Staff
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


class Factory:
    """Creates rows; every call commits so workers and the API see them at once."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    async def staff(self, role: StaffRole = StaffRole.ACCOUNT_MANAGER_L2, **fields: Any) -> Staff:
        n = next(_counter)
        fields.setdefault("name", f"Staff {n}")
        fields.setdefault("email", f"staff{n}@example.test")
        fields.setdefault("region", "east")
        async with self.sessions() as session, session.begin():
            staff = Staff(role=role, **fields)
            session.add(staff)
        forget_access()  # written around the repositories: drop cached subtrees as create_staff does
        return staff

    async def customer(self, owner: Staff | None = None, **fields: Any) -> Customer:
        n = next(_counter)
        fields.setdefault("name", f"Customer {n}")
        fields.setdefault("region", "east")
        async with self.sessions() as session, session.begin():
            customer = Customer(owner_id=owner.id if owner else None, **fields)
            session.add(customer)
        return customer

    async def token(self, role: str, staff: Staff | None = None) -> str:
        async with self.sessions() as session, session.begin():
            _, token = await create_principal(
                session, name=f"{role}-{next(_counter)}", role=role, staff_id=staff.id if staff else None
            )
        return token

    async def org(self) -> Org:
        director = await self.staff(StaffRole.DIRECTOR, name="Director")
        l1 = await self.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director.id, name="L1")
        l2 = await self.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=l1.id, name="L2")
        tokens = {
            "admin": await self.token("admin"),
            "ops": await self.token("ops"),
            "service": await self.token("service"),
            "director": await self.token("director", director),
            "l1": await self.token("manager", l1),
            "l2": await self.token("manager", l2),
        }
        return Org(director, l1, l2, tokens)
