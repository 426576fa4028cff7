"""Customers of two teams with contacts overdue and coming due (the contacts page tests share them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import Customer
from db.repositories.contacts import schedule_next_contacts
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from tests.web.conftest import World

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)  # tier 1 every 14 days, tier 2 every 21


async def contacts_of_two_teams(world: World) -> dict[str, Customer]:
    """Held customers of both teams, overdue or coming due, with their next-contact dates set."""
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=300)
    made = {}
    for key, owner, tier, days in (
        ("overdue", "l2", 2, 30),
        ("soon", "l2", 2, 17),
        ("l1_overdue", "l1", 1, 20),
        ("other_team", "m2", 2, 40),
    ):
        name = {
            "overdue": "Overdue Trading 逾期贸易",
            "soon": "Soon Foods",
            "l1_overdue": "Key Account 重点客户",
            "other_team": "Northern Mills",
        }[key]
        made[key] = await world.customer(
            world[owner].staff,
            tier=tier,
            name=name,
            owner_assigned_at=long_ago,
            last_follow_up_at=now - timedelta(days=days),
        )
    async with world.sessions() as session, session.begin():
        await schedule_next_contacts(session, definition=DEFINITION)  # what the daily run does first
    return made
