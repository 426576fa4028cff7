"""Set-based reclaim: warnings before the follow-up lapses, reclaim to the pool, exemptions, idempotency."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.reclaim import ReclaimActivities
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, Complaint, Customer, Notification, ReclaimWarning, Transaction
from db.repositories.customers import add_follow_up
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimStepInput
from tests.factories import Factory

# The packaged definition: tier 1 lapses after 60 days, tier 2 after 30; warning 7 days before;
# exempt while a complaint is open or within 30 days of a deal.
DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def env(attempt: str) -> ActivityEnvironment:
    """A separate activity execution (its own operation key), like the next day's run."""
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, activity_id=attempt, workflow_id=f"reclaim-{attempt}")
    return environment


async def _seed(factory: Factory, sessions) -> tuple[dict[str, int], object]:
    org = await factory.org()
    days = lambda n: NOW - timedelta(days=n)  # noqa: E731
    spec = {
        "fresh": dict(tier=2, last_follow_up_at=days(5)),
        "lapsing": dict(tier=2, last_follow_up_at=days(25)),  # lapses in 5 days: warned
        "lapsed": dict(tier=2, last_follow_up_at=days(31)),
        "tier1_longer": dict(tier=1, last_follow_up_at=days(31)),  # tier 1 has 60 days
        "tier1_lapsing": dict(tier=1, last_follow_up_at=days(55)),
        "new_owner": dict(tier=2, last_follow_up_at=days(100), owner_assigned_at=days(10)),
        "never_followed": dict(tier=2, owner_assigned_at=days(40)),
        "open_complaint": dict(tier=2, last_follow_up_at=days(40)),
        "closed_complaint": dict(tier=2, last_follow_up_at=days(40)),
        "recent_deal": dict(tier=2, last_follow_up_at=days(40)),
        "old_deal": dict(tier=2, last_follow_up_at=days(40)),
        "already_pooled": dict(tier=2, last_follow_up_at=days(90), status="pool"),
    }
    ids = {}
    for key, fields in spec.items():
        owner = org.l1 if fields["tier"] == 1 else org.l2
        fields.setdefault("owner_assigned_at", days(365))
        customer = await factory.customer(owner if fields.get("status") != "pool" else None, name=f"{key}", **fields)
        ids[key] = customer.id
    async with sessions() as session, session.begin():
        for key, closed in (("open_complaint", None), ("closed_complaint", days(35))):
            session.add(
                Complaint(
                    id=str(uuid.uuid4()),
                    customer_id=ids[key],
                    severity="normal",
                    category="billing",
                    description="x",
                    channel="phone",
                    status="closed" if closed else "open",
                    closed_at=closed,
                )
            )
        session.add(Transaction(customer_id=ids["recent_deal"], amount=Decimal(10), occurred_on=days(10).date()))
        session.add(Transaction(customer_id=ids["old_deal"], amount=Decimal(10), occurred_on=days(45).date()))
    return ids, org


async def test_warns_before_the_lapse_once_per_clock_start(factory: Factory, sessions) -> None:
    ids, org = await _seed(factory, sessions)
    activities = ReclaimActivities(sessions)
    step = ReclaimStepInput(definition=DEFINITION, now=NOW)
    first = await env("day-1").run(activities.warn, step)
    assert first.count == 2
    async with sessions() as session:
        warned = dict((await session.execute(select(ReclaimWarning.customer_id, ReclaimWarning.owner_id))).all())
        notes = list(await session.scalars(select(Notification).where(Notification.kind == "reclaim.warning")))
    assert warned == {ids["lapsing"]: org.l2.id, ids["tier1_lapsing"]: org.l1.id}
    assert sorted(n.recipient_id for n in notes) == sorted([org.l1.id, org.l2.id])
    assert any("lapsing" in n.subject for n in notes)

    # The next day: still inside the warning window, but the same lapse is not warned twice.
    again = await env("day-2").run(
        activities.warn, ReclaimStepInput(definition=DEFINITION, now=NOW + timedelta(days=1))
    )
    assert again.count == 0
    # A retried attempt of the first run neither.
    assert (await env("day-1").run(activities.warn, step)).count == 2
    async with sessions() as session:
        assert (
            len(list(await session.scalars(select(Notification.id).where(Notification.kind == "reclaim.warning")))) == 2
        )


async def test_reclaims_lapsed_customers_except_the_exempt(factory: Factory, sessions) -> None:
    ids, org = await _seed(factory, sessions)
    activities = ReclaimActivities(sessions)
    result = await env("day-1").run(activities.reclaim, ReclaimStepInput(definition=DEFINITION, now=NOW))

    reclaimed = {ids[k] for k in ("lapsed", "never_followed", "closed_complaint", "old_deal")}
    assert result.count == len(reclaimed)
    async with sessions() as session:
        rows = {c.id: c for c in await session.scalars(select(Customer))}
        audits = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "customer.reclaimed")))
        notes = list(await session.scalars(select(Notification).where(Notification.kind == "reclaim.reclaimed")))
    for customer_id in reclaimed:
        row = rows[customer_id]
        assert (row.status, row.owner_id, row.previous_owner_id) == ("pool", None, org.l2.id)
        assert row.reclaimed_at == NOW
    for key in ("fresh", "lapsing", "tier1_longer", "tier1_lapsing", "new_owner", "open_complaint", "recent_deal"):
        assert rows[ids[key]].status == "active" and rows[ids[key]].owner_id is not None, key
    assert {a.customer_id for a in audits} == reclaimed
    assert all(f"owner was staff {org.l2.id}" in a.reason for a in audits)
    assert {n.recipient_id for n in notes} == {org.l2.id} and len(notes) == len(reclaimed)

    # Re-running (a retry, or the next day) reclaims nothing more and audits nothing twice.
    assert (await env("day-1").run(activities.reclaim, ReclaimStepInput(definition=DEFINITION, now=NOW))).count == 4
    assert (await env("day-2").run(activities.reclaim, ReclaimStepInput(definition=DEFINITION, now=NOW))).count == 0
    async with sessions() as session:
        assert len(
            list(await session.scalars(select(AuditEvent.id).where(AuditEvent.action == "customer.reclaimed")))
        ) == len(reclaimed)


async def test_a_follow_up_resets_the_clock(factory: Factory, sessions) -> None:
    ids, org = await _seed(factory, sessions)
    async with sessions() as session, session.begin():
        customer = await session.get(Customer, ids["lapsed"])
        await add_follow_up(
            session,
            customer=customer,
            staff_id=org.l2.id,
            channel="phone",
            note="called",
            occurred_at=NOW - timedelta(hours=1),
        )
    activities = ReclaimActivities(sessions)
    await env("day-1").run(activities.reclaim, ReclaimStepInput(definition=DEFINITION, now=NOW))
    async with sessions() as session:
        assert (await session.get(Customer, ids["lapsed"])).status == "active"
    # 23 days later the new clock is within 7 days of its 30-day lapse: a fresh warning.
    later = await env("day-24").run(
        activities.warn, ReclaimStepInput(definition=DEFINITION, now=NOW + timedelta(days=23))
    )
    async with sessions() as session:
        warned = set(await session.scalars(select(ReclaimWarning.customer_id)))
    assert ids["lapsed"] in warned and later.count >= 1
