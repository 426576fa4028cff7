"""Upcoming and overdue contacts in a real browser (DESIGN §3.9): the owner's inbox card and contacts page
with the quick "record follow-up", the director's team view in zh-CN, and what other roles are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from db.models import AuditEvent, Customer
from tests.web.conftest import World
from tests.web.contacts_data import contacts_of_two_teams
from web.i18n import I18n, zone
from tests.web import test_browser as ui

browser = ui.browser  # the module-scoped Chromium fixture (skips this module too when Chromium is missing)
expect, person, shot = ui.expect, ui.person, ui.shot


async def test_owner_records_an_overdue_contact_and_the_director_sees_the_team(world: World, browser) -> None:
    made = await contacts_of_two_teams(world)

    manager, page = await person(browser, world, "l2")
    await page.goto("/inbox")
    card = page.locator("#overdue-contacts")
    await expect(card).to_contain_text("Overdue Trading 逾期贸易")
    await expect(card).to_contain_text("Days overdue: 9")
    await shot(page, "contacts-inbox-en")

    await card.locator("a", has_text="All overdue contacts").click()
    await expect(page).to_have_url(re.compile(r"/contacts\?status=overdue$"))
    table = page.locator("#contacts")
    await expect(table).to_contain_text("Overdue Trading 逾期贸易")
    for hidden in ("Northern Mills", "Key Account", "Soon Foods"):  # another team's, my supervisor's, not yet due
        await expect(table).not_to_contain_text(hidden)
    await shot(page, "contacts-overdue-en")

    row = page.locator(f"#contact-{made['overdue'].id}")
    await row.locator("select[name=channel]").select_option("visit")
    await row.locator("input[name=note]").fill("visited the warehouse")
    await row.locator("button[type=submit]").click()
    await expect(page.locator(".flash")).to_contain_text("Follow-up recorded for Overdue Trading 逾期贸易")
    await expect(page.locator("#contacts")).not_to_contain_text("Overdue Trading")
    async with world.sessions() as session:
        row_after = await session.get(Customer, made["overdue"].id)
        audit = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.customer_id == made["overdue"].id, AuditEvent.action == "customer.follow_up_recorded"
            )
        )
    assert abs((row_after.next_contact_at - (datetime.now(UTC) + timedelta(days=21))).total_seconds()) < 300
    shown = I18n("en", zone(None, world.settings.timezone)).datetime(row_after.next_contact_at)
    await expect(page.locator(".flash")).to_contain_text(f"Next contact: {shown}.")  # the moved date, not the old
    assert audit is not None and audit.details["channel"] == "visit"

    await page.click("#tab-upcoming")
    await expect(page.locator("#contacts")).to_contain_text("Soon Foods")
    await expect(page.locator("#contacts")).not_to_contain_text("Overdue Trading")  # due in 21 days, beyond 7
    await page.locator("select[name=within]").select_option("30")
    await page.click("form.filters button[type=submit]")
    await expect(page.locator("#contacts")).to_contain_text("Overdue Trading 逾期贸易")
    await shot(page, "contacts-upcoming-en")
    await manager.close()

    director, page = await person(browser, world, "director", "zh")
    await page.goto("/contacts")
    await expect(page.locator("h1")).to_have_text("客户联系")
    table = page.locator("#contacts")
    await expect(table).to_contain_text("Key Account 重点客户")
    await expect(table).to_contain_text("Li Lei L1")  # the owner column of a team view
    await expect(table).not_to_contain_text("Northern Mills")
    await expect(page.locator("#contacts-total")).to_contain_text("逾期联系：1")
    await shot(page, "contacts-director-zh-CN")
    await page.goto("/inbox")
    await expect(page.locator("#overdue-contacts")).to_contain_text("您团队的逾期联系：1")
    await shot(page, "contacts-inbox-director-zh-CN")
    await director.close()

    other, page = await person(browser, world, "m2")
    await page.goto("/contacts")
    await expect(page.locator("#contacts")).to_contain_text("Northern Mills")
    await expect(page.locator("#contacts")).not_to_contain_text("Key Account")
    await other.close()
