"""Contacts pages over HTTP: the roles the API refuses are refused by the pages too, and nothing is written."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from db.models import AuditEvent
from tests.web.conftest import World, csrf_of, sign_in
from tests.web.contacts_data import contacts_of_two_teams


async def test_pages_refuse_what_the_api_refuses(world: World) -> None:
    made = await contacts_of_two_teams(world)
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        assert (await client.get("/contacts", follow_redirects=False)).status_code == 303  # sign in first
        await sign_in(client, world["service"])
        assert (await client.get("/contacts")).status_code == 403
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        await sign_in(client, world["ops"])
        page = await client.get("/contacts")
        assert page.status_code == 200 and "Northern Mills" in page.text and "quick-follow-up" not in page.text
        # Ops read only: the same record route refuses them.
        refused = await client.post(
            f"/contacts/{made['overdue'].id}/follow-up", data={"csrf_token": csrf_of(page.text), "channel": "phone"}
        )
        assert refused.status_code == 403
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        await sign_in(client, world["m2"])
        page = await client.get("/contacts")
        # Another team's customer: not found, nothing written; a forged form: refused.
        hidden = await client.post(
            f"/contacts/{made['overdue'].id}/follow-up", data={"csrf_token": csrf_of(page.text), "channel": "phone"}
        )
        assert hidden.status_code == 404
        forged = await client.post(f"/contacts/{made['other_team'].id}/follow-up", data={"channel": "phone"})
        assert forged.status_code == 403
        assert (await client.get("/contacts", params={"owner": str(world["l2"].staff.id)})).status_code == 403
    async with world.sessions() as session:
        written = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.customer_id.in_([made["overdue"].id, made["other_team"].id]),
                AuditEvent.action == "customer.follow_up_recorded",
            )
        )
    assert written is None
