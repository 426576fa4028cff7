"""The daily run's contact reminders (before the next-contact date, once per customer and date) and the
reclaim warning and lapse counted from the same stored date (DESIGN §3.5, §3.9)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from temporalio.testing import ActivityEnvironment

from activities.reclaim import ReclaimActivities
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import ContactReminder, Customer, Notification, ReclaimWarning, Staff
from db.repositories.contacts import schedule_next_contacts
from db.repositories.customers import add_follow_up
from db.repositories.notifications import template_context
from db.repositories.timeline import customer_timeline
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimStepInput
from tests.factories import Factory

# The packaged definition: tier 1 every 14 days, tier 2 every 21, reminded 2 days before; tier 2 lapses
# after 30 days (9 days past its next-contact date), warned 7 days before the lapse.
DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=365)


def env(run: str) -> ActivityEnvironment:
    """One daily run's activity execution (its own operation key)."""
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, activity_id=run, workflow_id=f"reclaim-{run}")
    return environment


async def warn(run: str, now: datetime, definition: ReclaimDefinition = DEFINITION, sessions=None):
    return await env(run).run(ReclaimActivities(sessions).warn, ReclaimStepInput(definition=definition, now=now))


async def reminders(sessions) -> list[Notification]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(Notification).where(Notification.kind == "contact.reminder").order_by(Notification.id)
            )
        )


async def test_owners_are_reminded_before_the_date_once_per_customer_and_date(factory: Factory, sessions) -> None:
    org = await factory.org()
    days = lambda n: NOW - timedelta(days=n)  # noqa: E731
    due_tomorrow = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(20))
    due_in_5 = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(16))
    tier1_tomorrow = await factory.customer(org.l1, tier=1, owner_assigned_at=LONG_AGO, last_follow_up_at=days(13))
    overdue = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=days(22))
    await factory.customer(None, tier=2, status="pool", last_follow_up_at=days(20))

    first = await warn("day-1", NOW, sessions=sessions)
    assert first.reminded == 2
    notes = await reminders(sessions)
    assert sorted((n.entity_id, n.recipient_id) for n in notes) == sorted(
        [(str(due_tomorrow.id), org.l2.id), (str(tier1_tomorrow.id), org.l1.id)]
    )
    async with sessions() as session:
        rows = {r.customer_id: r for r in await session.scalars(select(ContactReminder))}
        assert rows[due_tomorrow.id].due_at == days(20) + timedelta(days=21)
        assert (await session.get(Customer, overdue.id)).next_contact_at < NOW  # overdue: listed, not reminded
        # The message names the customer and the date it reminds of, in the owner's language.
        note = next(n for n in notes if n.entity_id == str(due_tomorrow.id))
        context = await template_context(
            session,
            notification=note,
            recipient=await session.get(Staff, org.l2.id),
            language="en",
            public_url="http://x",
            format_when=lambda d: d,
        )
    assert context["customer"] == due_tomorrow.name and context["deadline"] == days(20) + timedelta(days=21)

    # A retried attempt of the same run, and the next day's run, remind nobody twice of the same date.
    assert (await warn("day-1", NOW, sessions=sessions)).reminded == 2
    assert (await warn("day-2", NOW + timedelta(hours=20), sessions=sessions)).reminded == 0
    assert len(await reminders(sessions)) == 2
    # Three days on, the customer due in five days is inside the window: its own reminder.
    assert (await warn("day-4", NOW + timedelta(days=3, hours=1), sessions=sessions)).reminded == 1
    assert (await reminders(sessions))[-1].entity_id == str(due_in_5.id)

    # A follow-up moves the date: the new date gets a reminder of its own when it comes near.
    async with sessions() as session, session.begin():
        customer = await session.get(Customer, due_tomorrow.id)
        await add_follow_up(
            session,
            customer=customer,
            staff_id=org.l2.id,
            channel="phone",
            note="",
            occurred_at=NOW + timedelta(days=1),
        )
        await schedule_next_contacts(session, definition=DEFINITION, customer_ids=[customer.id])
    assert (await warn("day-21", NOW + timedelta(days=20, hours=1), sessions=sessions)).reminded == 1
    async with sessions() as session:
        dates = list(
            await session.scalars(
                select(ContactReminder.due_at)
                .where(ContactReminder.customer_id == due_tomorrow.id)
                .order_by(ContactReminder.due_at)
            )
        )
    assert dates == [days(20) + timedelta(days=21), NOW + timedelta(days=22)]
    # The customer's timeline says when the owner was reminded, and of which date.
    async with sessions() as session:
        entries, _ = await customer_timeline(session, await session.get(Customer, due_tomorrow.id))
    reminded = [e for e in entries if e.action == "contact.reminded"]
    assert [e.details["due_at"] for e in reminded] == [d.isoformat() for d in dates]


async def test_no_reminders_when_the_definition_says_none(factory: Factory, sessions) -> None:
    org = await factory.org()
    await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=NOW - timedelta(days=20))
    silent = DEFINITION.model_copy(update={"contact": DEFINITION.contact.model_copy(update={"remind_days_before": 0})})
    assert (await warn("day-1", NOW, silent, sessions=sessions)).reminded == 0
    assert await reminders(sessions) == []


async def test_the_reclaim_warning_and_lapse_count_from_the_next_contact_date(factory: Factory, sessions) -> None:
    org = await factory.org()
    followed = NOW - timedelta(days=24)
    customer = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=followed)
    async with sessions() as session, session.begin():
        await schedule_next_contacts(session, definition=DEFINITION)
    next_contact = followed + timedelta(days=21)

    # Tier 2 lapses 9 days after its next-contact date, warned 7 days before: 2 days past the date.
    assert (await warn("early", next_contact + timedelta(days=1, hours=23), sessions=sessions)).count == 0
    assert (await warn("on-time", next_contact + timedelta(days=2), sessions=sessions)).count == 1
    async with sessions() as session:
        warning = await session.scalar(select(ReclaimWarning).where(ReclaimWarning.customer_id == customer.id))
    # Keyed by the clock start the next-contact date counts from (the last follow-up), as before.
    assert warning.clock_started_at == followed and warning.lapse_days == 30

    activities = ReclaimActivities(sessions)
    step = lambda at: ReclaimStepInput(definition=DEFINITION, now=at)  # noqa: E731
    before = await env("before").run(activities.reclaim, step(next_contact + timedelta(days=8, hours=23)))
    assert before.count == 0
    lapsed = await env("lapsed").run(activities.reclaim, step(next_contact + timedelta(days=9)))
    assert lapsed.count == 1
    async with sessions() as session:
        row = await session.get(Customer, customer.id)
    assert (row.status, row.owner_id, row.next_contact_at) == ("pool", None, None)  # nobody's contact any more


async def test_a_changed_rhythm_moves_every_date_but_not_the_reclaim(factory: Factory, sessions) -> None:
    org = await factory.org()
    followed = NOW - timedelta(days=12)
    customer = await factory.customer(org.l2, tier=2, owner_assigned_at=LONG_AGO, last_follow_up_at=followed)
    async with sessions() as session, session.begin():
        await schedule_next_contacts(session, definition=DEFINITION)
        # A date written by hand or by an older rule is brought back in line by the daily run.
        await session.execute(update(Customer).where(Customer.id == customer.id).values(next_contact_at=NOW))
    weekly = DEFINITION.model_copy(
        update={"contact": DEFINITION.contact.model_copy(update={"every_days": {1: 7, 2: 7}})}
    )
    assert (await warn("weekly", NOW, weekly, sessions=sessions)).reminded == 0
    async with sessions() as session:
        assert (await session.get(Customer, customer.id)).next_contact_at == followed + timedelta(days=7)
    # The reclaim still comes 30 days after the last follow-up: the rhythm moves the reminder, not the lapse.
    activities = ReclaimActivities(sessions)
    assert (
        await env("r1").run(
            activities.reclaim, ReclaimStepInput(definition=weekly, now=followed + timedelta(days=29, hours=23))
        )
    ).count == 0
    assert (
        await env("r2").run(activities.reclaim, ReclaimStepInput(definition=weekly, now=followed + timedelta(days=30)))
    ).count == 1
