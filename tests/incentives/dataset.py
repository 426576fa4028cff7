"""A hand-made quarter (2025Q3, UTC) for awards and reports: two sibling teams, figures worked out by hand.

Director A leads manager `a1` (star) and `a2` (misses the SLA gate); director B leads `b1` (no activity but
one customer reclaimed) — sibling teams that must never see each other's figures.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from db.models import Complaint, Customer, Staff, StaffRole, Task, Transaction
from definitions.incentives import IncentiveDefinition
from tests.factories import Factory

PERIOD = "2025Q3"
START = datetime(2025, 7, 1, tzinfo=UTC)
END = datetime(2025, 10, 1, tzinfo=UTC)

RULES = IncentiveDefinition.model_validate(
    {
        "process": "incentives",
        "version": 3,
        "content_hash": "hand-made-rules",
        "bands": [{"from": 0.8, "points": 60}, {"from": 1.0, "points": 100}, {"from": 1.2, "points": 130}],
        "metrics": [
            {"metric": "new_customers", "weight": 0.4, "target": 2},
            {"metric": "revenue", "weight": 0.4, "target": 1000},
            {"metric": "avg_satisfaction", "weight": 0.2, "target": 4.5},
        ],
        "gates": [{"metric": "sla_compliance", "at_least": 0.8}],
        "max_total_points": 110,
        "point_value": 50,
        "currency": "CNY",
    }
)


@dataclass
class Quarter:
    director_a: Staff
    director_b: Staff
    a1: Staff
    a2: Staff
    b1: Staff
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def at(day: int, month: int = 8) -> datetime:
    return datetime(2025, month, day, 10, tzinfo=UTC)


async def build_quarter(factory: Factory, *, tokens: bool = True) -> Quarter:
    """The staff, customers, transactions, complaints and tasks of the quarter."""
    director_a = await factory.staff(StaffRole.DIRECTOR, name="Director A")
    director_b = await factory.staff(StaffRole.DIRECTOR, name="Director B")
    a1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director_a.id, name="Alice")
    a2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director_a.id, name="Aaron")
    b1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director_b.id, name="Bella")
    old = START - timedelta(days=200)
    # a1: three customers won in the quarter; revenue 600 + 400 in it (and 999 the day before it starts).
    won = [await factory.customer(a1, owner_assigned_at=at(2 + i), created_at=at(2 + i)) for i in range(3)]
    # a2: one customer won, one held from before; revenue 900.
    a2_new = await factory.customer(a2, owner_assigned_at=at(5), created_at=at(5))
    a2_old = await factory.customer(a2, owner_assigned_at=old, created_at=old)
    # b1: held one from before, which the pool took back in September.
    await factory.customer(
        None, owner_assigned_at=old, created_at=old, previous_owner_id=b1.id, reclaimed_at=at(9, 9), status="active"
    )
    async with factory.sessions() as session, session.begin():
        session.add_all(
            [
                Transaction(customer_id=won[0].id, amount=Decimal("600"), occurred_on=date(2025, 7, 15)),
                Transaction(customer_id=won[1].id, amount=Decimal("400"), occurred_on=date(2025, 9, 30)),
                Transaction(customer_id=won[2].id, amount=Decimal("999"), occurred_on=date(2025, 6, 30)),
                Transaction(customer_id=a2_old.id, amount=Decimal("900"), occurred_on=date(2025, 8, 1)),
            ]
        )
        # a1: two complaints, both within SLA, satisfaction 5 and 4 (avg 4.5).
        session.add_all(
            [
                _complaint(won[0], "critical", "billing", at(10), True, True, 5),
                _complaint(won[1], "minor", "delivery", at(12, 9), True, None, 4),
                # a2: one complaint, response late: SLA compliance 0 → the gate takes the bonus away; satisfaction 3.
                _complaint(a2_new, "critical", "delivery", at(20), False, True, 3),
            ]
        )
        # Overdue: two open tasks of a1 past due (one escalated), one of b1; a done one never counts.
        session.add_all(
            [
                _task(a1, "t1", due=START, escalation=1),
                _task(a1, "t2", due=START + timedelta(days=1)),
                _task(b1, "t3", due=START),
                _task(a2, "t4", due=START, status="completed"),
            ]
        )
    quarter = Quarter(director_a, director_b, a1, a2, b1, {})
    if tokens:
        quarter.tokens = {
            "admin": await factory.token("admin"),
            "ops": await factory.token("ops"),
            "service": await factory.token("service"),
            "director_a": await factory.token("director", director_a),
            "director_b": await factory.token("director", director_b),
            "a1": await factory.token("manager", a1),
            "a2": await factory.token("manager", a2),
            "b1": await factory.token("manager", b1),
        }
    return quarter


def _complaint(
    customer: Customer,
    severity: str,
    category: str,
    created: datetime,
    response_met: bool,
    resolution_met: bool | None,
    satisfaction: int | None,
) -> Complaint:
    return Complaint(
        id=str(uuid.uuid4()),
        customer_id=customer.id,
        severity=severity,
        category=category,
        description="hand-made",
        channel="phone",
        status="closed",
        owner_id=customer.owner_id,
        sla_response_met=response_met,
        sla_resolution_met=resolution_met,
        satisfaction=satisfaction,
        created_at=created,
        closed_at=created + timedelta(days=1),
    )


def _task(holder: Staff, key: str, *, due: datetime, escalation: int = 0, status: str = "open") -> Task:
    return Task(
        workflow_id=f"hand-made-{uuid.uuid4().hex[:8]}",
        task_key=key,
        process_type="review",
        kind="form",
        title=f"task {key}",
        status=status,
        assignee_id=holder.id,
        due_at=due,
        escalation_level=escalation,
    )
