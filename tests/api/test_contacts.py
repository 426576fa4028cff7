"""The contact cadence: next-contact dates moving with follow-ups, tier changes and claims, the upcoming /
overdue lists of GET /v1/contacts scoped by the viewer's subtree, and the demo's contacts (DESIGN §3.9)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import httpx
from temporalio.testing import ActivityEnvironment

from activities.tiering import TieringActivities
from crmflow.seed import CUSTOMERS, seed_demo
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings
from db.models import Customer
from db.repositories.contacts import list_contacts, schedule_next_contacts
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from definitions.tiering import DecisionInput, ReassignInput
from tests.factories import Factory

# The packaged rhythm: tier 1 every 14 days, tier 2 every 21.
DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)
LONG_AGO = datetime.now(UTC) - timedelta(days=300)


def env(activity_id: str) -> ActivityEnvironment:
    """An activity execution of its own (its own operation key), as each step of a process is."""
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, activity_id=activity_id)
    return environment


def close(a: datetime | None, b: datetime, seconds: float = 120) -> bool:
    return a is not None and abs((a - b).total_seconds()) < seconds


async def scheduled(sessions) -> None:
    """What the daily run does first: every held customer's next-contact date from its clock start."""
    async with sessions() as session, session.begin():
        await schedule_next_contacts(session, definition=DEFINITION)


async def next_contact(sessions, customer_id: int) -> datetime | None:
    async with sessions() as session:
        return (await session.get(Customer, customer_id)).next_contact_at


async def test_a_follow_up_moves_the_next_contact_date(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org = await factory.org()
    followed = datetime.now(UTC) - timedelta(days=30)
    customer = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=followed)
    await scheduled(sessions)
    assert await next_contact(sessions, customer.id) == followed + timedelta(days=21)

    shown = await api.get(f"/v1/customers/{customer.id}", headers=org.headers("l2"))
    assert shown.status_code == 200
    assert datetime.fromisoformat(shown.json()["next_contact_at"]) == followed + timedelta(days=21)
    overdue = (await api.get("/v1/contacts", params={"status": "overdue"}, headers=org.headers("l2"))).json()
    assert [c["customer_id"] for c in overdue["items"]] == [customer.id]
    assert overdue["items"][0]["days_overdue"] == 9 and overdue["items"][0]["owner_name"] == "L2"

    url = f"/v1/customers/{customer.id}/follow-ups"
    recorded = await api.post(url, json={"channel": "phone", "note": "called"}, headers=org.headers("l2"))
    assert recorded.status_code == 201, recorded.text
    now = datetime.now(UTC)
    assert close(await next_contact(sessions, customer.id), now + timedelta(days=21))
    assert (await api.get("/v1/contacts", params={"status": "overdue"}, headers=org.headers("l2"))).json()["total"] == 0
    soon = await api.get("/v1/contacts", params={"status": "upcoming", "within_days": 30}, headers=org.headers("l2"))
    assert [(c["customer_id"], c["days_left"]) for c in soon.json()["items"]] == [(customer.id, 20)]
    assert (await api.get("/v1/contacts", params={"status": "upcoming"}, headers=org.headers("l2"))).json()[
        "total"
    ] == 0

    # An older follow-up recorded afterwards never moves the date back.
    earlier = (now - timedelta(days=10)).isoformat()
    assert (
        await api.post(url, json={"channel": "email", "occurred_at": earlier}, headers=org.headers("l2"))
    ).status_code == 201
    assert close(await next_contact(sessions, customer.id), now + timedelta(days=21))
    # A refused follow-up (bad channel) moves nothing.
    assert (await api.post(url, json={"channel": "pigeon"}, headers=org.headers("l2"))).status_code == 422
    assert close(await next_contact(sessions, customer.id), now + timedelta(days=21))


async def test_a_tier_change_moves_the_next_contact_date(factory: Factory, sessions, settings: Settings) -> None:
    org = await factory.org()
    followed = datetime.now(UTC) - timedelta(days=5)
    customer = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=followed)
    await scheduled(sessions)
    assert await next_contact(sessions, customer.id) == followed + timedelta(days=21)

    activities = TieringActivities(sessions, settings)
    await env("decide").run(
        activities.record_decision,
        DecisionInput(
            cycle_id="cycle-x",
            customer_id=customer.id,
            from_tier=2,
            to_tier=1,
            outcome="approved",
            decided_by=org.director.id,
        ),
    )
    # Tier 1's rhythm, from the same clock start (the last follow-up).
    assert await next_contact(sessions, customer.id) == followed + timedelta(days=14)

    reassigned = await env("reassign").run(
        activities.reassign_owner, ReassignInput(cycle_id="cycle-x", customer_id=customer.id, to_tier=1)
    )
    assert reassigned.changed and reassigned.owner_id == org.l1.id
    # A new owner gets a full rhythm from the handover.
    assert close(await next_contact(sessions, customer.id), datetime.now(UTC) + timedelta(days=14))

    # A rejected change leaves the date alone.
    before = await next_contact(sessions, customer.id)
    await env("decide-again").run(
        activities.record_decision,
        DecisionInput(
            cycle_id="cycle-y",
            customer_id=customer.id,
            from_tier=1,
            to_tier=2,
            outcome="rejected",
            decided_by=org.director.id,
        ),
    )
    assert await next_contact(sessions, customer.id) == before


async def test_the_lists_are_scoped_by_subtree_with_denials(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org, other = await factory.org(), await factory.org()
    days = lambda n: datetime.now(UTC) - timedelta(days=n)  # noqa: E731
    mine = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(40))
    l1s = await factory.customer(org.l1, tier=1, owner_assigned_at=LONG_AGO, last_follow_up_at=days(20))
    theirs = await factory.customer(other.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(25))
    soon = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(18))
    pooled = await factory.customer(None, tier=2, status="pool", last_follow_up_at=days(90))
    await scheduled(sessions)

    async def overdue(who: str, **params) -> list[int]:
        response = await api.get(
            "/v1/contacts",
            params={"status": "overdue", **params},
            headers=org.headers(who) if who in org.tokens and not who.startswith("other") else other.headers(who[6:]),
        )
        assert response.status_code == 200, response.text
        return [c["customer_id"] for c in response.json()["items"]]

    # Most overdue first; each sees their own subtree only.
    assert await overdue("l2") == [mine.id]
    assert await overdue("l1") == [mine.id, l1s.id]
    assert await overdue("director") == [mine.id, l1s.id]
    assert await overdue("other-l2") == [theirs.id]
    ops = await overdue("ops")
    assert {mine.id, l1s.id, theirs.id} <= set(ops) and pooled.id not in ops
    assert await overdue("director", owner_id=org.l1.id) == [l1s.id]
    upcoming = await api.get("/v1/contacts", params={"status": "upcoming"}, headers=org.headers("director"))
    assert [c["customer_id"] for c in upcoming.json()["items"]] == [soon.id]

    # Denials: another team's owner, the service integration, no token, bad parameters.
    outside = await api.get("/v1/contacts", params={"owner_id": other.l2.id}, headers=org.headers("director"))
    assert outside.status_code == 403 and "not in your team" in outside.json()["error"]["message"]
    assert (await api.get("/v1/contacts", params={"owner_id": org.l1.id}, headers=org.headers("l2"))).status_code == 403
    assert (await api.get("/v1/contacts", headers=org.headers("service"))).status_code == 403
    assert (await api.get("/v1/contacts")).status_code == 401
    for bad in ({"status": "late"}, {"within_days": 0}, {"within_days": 91}, {"limit": 0}, {"owner_id": "x"}):
        assert (await api.get("/v1/contacts", params=bad, headers=org.headers("ops"))).status_code == 422, bad


async def test_a_pool_claim_gives_the_new_owner_a_full_rhythm(
    api: httpx.AsyncClient, factory: Factory, sessions
) -> None:
    org = await factory.org()
    customer = await factory.customer(
        None,
        tier=2,
        status="pool",
        previous_owner_id=org.l1.id,
        reclaimed_at=datetime.now(UTC) - timedelta(days=40),
        last_follow_up_at=datetime.now(UTC) - timedelta(days=90),
    )
    claimed = await api.post(f"/v1/pool/{customer.id}/claim", headers=org.headers("l2"))
    assert claimed.status_code == 200, claimed.text
    assert close(await next_contact(sessions, customer.id), datetime.now(UTC) + timedelta(days=21))


async def test_the_demo_shows_overdue_and_upcoming_contacts(settings: Settings, sessions, tmp_path) -> None:
    org = await seed_demo(settings.model_copy(update={"var_dir": tmp_path / "var"}))
    now = datetime.now(UTC)
    async with sessions() as session:
        overdue, overdue_total = await list_contacts(
            session, visible_staff_ids=None, status="overdue", now=now, within_days=7
        )
        _, upcoming_total = await list_contacts(
            session, visible_staff_ids=None, status="upcoming", now=now, within_days=7
        )
        dated = [await session.get(Customer, i) for i in org.customer_ids.values()]
    assert all(c.next_contact_at is not None for c in dated)  # every held demo customer has its date
    quiet = {org.customer_ids[c.ref] for c in CUSTOMERS if c.history in ("warned", "lapsed")}
    assert quiet <= {customer.id for customer, _ in overdue} and overdue_total >= 3
    assert upcoming_total >= 1
