"""Targets in a real browser: negotiating one, progress lines, a check-in through the inbox, the team's roll-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import Browser, expect
from sqlalchemy import select

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import TargetCheckIn, TargetSet
from definitions.loader import load_as
from definitions.review import period_bounds, quarter_of
from definitions.targets import ProgressRunInput, TargetInput, TargetsDefinition, target_workflow_id
from tests.web.conftest import World, wait_for
from tests.web import test_browser as browser_tests
from tests.web.test_browser import open_task, person, shot
from workflows.targets import TargetProgressWorkflow, TargetWorkflow

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, TargetsDefinition)
browser = browser_tests.browser  # the Chromium fixture, one per module


async def _target_of(world: World, staff_id: int, period: str) -> TargetSet:
    async def found():
        async with world.sessions() as session:
            return await session.scalar(
                select(TargetSet).where(TargetSet.staff_id == staff_id, TargetSet.period == period)
            )

    return await wait_for(found, what="the target set row")


async def test_negotiate_a_target_and_watch_its_progress(world: World, browser: Browser, local_env) -> None:
    timezone = world.settings.timezone
    period = quarter_of(datetime.now(UTC), timezone)
    start, _ = period_bounds(period, timezone)
    l2 = world["l2"].staff
    for offset in (2, 9, 16):  # three customers won in the period's first weeks
        await world.customer(l2, owner_assigned_at=start + timedelta(days=offset), created_at=start)

    # The supervisor opens the setting and proposes.
    supervisor, s_page = await person(browser, world, "l1")
    await s_page.goto("/targets")
    await s_page.select_option("#open-target select[name=staff_id]", str(l2.id))
    await s_page.fill("#open-target input[name=period]", period)
    await s_page.click("#open-target button[type=submit]")
    await expect(s_page.locator(".flash")).to_contain_text("Target setting opened.")
    target = await _target_of(world, l2.id, period)
    await s_page.goto(f"/targets/{target.id}")
    await expect(s_page.locator("#target-status")).to_contain_text("Negotiating")
    await s_page.fill("#propose-form input[name=v_new_customers]", "12")
    await s_page.fill("#propose-form input[name=v_revenue]", "80000")
    await s_page.fill("#propose-form input[name=v_retention]", "0.95")
    await s_page.fill("#propose-form input[name=v_avg_satisfaction]", "4.5")
    await s_page.fill("#propose-form textarea[name=reason]", "Two new key accounts in the east")
    await s_page.click("#propose-form button[type=submit]")
    await expect(s_page.locator(".flash")).to_contain_text("Proposal sent.")
    await expect(s_page.locator("#target-status")).to_contain_text("waiting for: Account manager")
    await shot(s_page, "targets-proposed")

    # The manager counter-proposes (a reason is required) ...
    manager, m_page = await person(browser, world, "l2")
    await m_page.goto("/targets")
    await m_page.click(f"#my-targets a[href='/targets/{target.id}']")
    await m_page.fill("#counter-form input[name=v_new_customers]", "9")
    await m_page.click("#counter-form button[type=submit]")
    await expect(m_page.locator("main")).to_contain_text("needs a reason")
    await m_page.goto(f"/targets/{target.id}")
    await m_page.fill("#counter-form input[name=v_new_customers]", "9")
    await m_page.fill("#counter-form textarea[name=reason]", "One key account moves to the north team")
    await m_page.click("#counter-form button[type=submit]")
    await expect(m_page.locator(".flash")).to_contain_text("Counter-proposal sent.")
    await shot(m_page, "targets-countered")

    # ... which the supervisor accepts: version 2 is pinned.
    await s_page.goto(f"/targets/{target.id}")
    await s_page.click("#accept")
    await expect(s_page.locator(".flash")).to_contain_text("Targets agreed and pinned.")
    await expect(s_page.locator("#target-status")).to_contain_text("Agreed")
    await expect(s_page.locator("#versions tbody tr").first).to_contain_text("Counter-proposal")

    # Three daily runs draw a line: 1, 2 and 3 new customers by days 8, 15 and 22.
    for day in (8, 15, 22):
        await local_env.client.execute_workflow(
            TargetProgressWorkflow.run,
            ProgressRunInput(definition=DEFINITION, timezone=timezone, as_of=start + timedelta(days=day)),
            id=f"targets-progress-browser-{target.id}-{day}",
            task_queue=world.settings.task_queue,
        )
    await m_page.goto("/targets")
    await expect(m_page.locator("#my-progress canvas#progress-new_customers")).to_be_visible()
    await m_page.wait_for_function("document.querySelector('#progress-new_customers').dataset.drawn === '1'")
    await expect(m_page.locator("#my-progress table")).to_contain_text("New customers")
    await shot(m_page, "targets-my-progress")
    await m_page.goto(f"/targets/{target.id}")
    await expect(m_page.locator("#progress")).to_contain_text("New customers")
    await shot(m_page, "targets-detail")

    # Another team's manager cannot open it; the director sees the team's roll-up, in Chinese too.
    stranger, x_page = await person(browser, world, "m2")
    response = await x_page.goto(f"/targets/{target.id}")
    assert response is not None and response.status == 404
    director, d_page = await person(browser, world, "director")
    await d_page.goto(f"/targets/team?period={period}")
    await expect(d_page.locator("#team-rollup tbody")).to_contain_text("Han Mei L2")
    await expect(d_page.locator("#team-rollup tbody")).to_contain_text("Li Lei L1")
    await expect(d_page.locator("#team-rollup tfoot")).to_contain_text("Team")
    await shot(d_page, "targets-team")
    director_zh, z_page = await person(browser, world, "director", language="zh")
    await z_page.goto(f"/targets/team?period={period}")
    await expect(z_page.locator("h1")).to_have_text("我团队的目标与进度")
    await shot(z_page, "targets-team-zh")
    for context in (supervisor, manager, stranger, director, director_zh):
        await context.close()


async def test_a_check_in_through_the_inbox(world: World, browser: Browser, local_env) -> None:
    """A target 30 days in, behind pace: the checkpoint opens a check-in the manager answers from the inbox
    and the supervisor acknowledges."""
    m2, director2 = world["m2"].staff, world["director2"].staff
    start = datetime.now(UTC) - timedelta(days=30) + timedelta(seconds=15)  # day 30 comes in 15 seconds
    period = "2999Q1"
    handle = await local_env.client.start_workflow(
        TargetWorkflow.run,
        TargetInput(
            definition=DEFINITION.model_copy(update={"checkpoints": [30]}),
            period=period,
            timezone="UTC",
            staff_id=m2.id,
            period_start=start,
            period_end=start + timedelta(days=90),
        ),
        id=target_workflow_id(period, m2.id) + f"-{start.timestamp():.0f}",
        task_queue=world.settings.task_queue,
    )
    target = await _target_of(world, m2.id, period)
    values = {"new_customers": 9, "revenue": 90000, "retention": 0.9, "avg_satisfaction": 4}
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as api:
        proposed = await api.post(
            f"/v1/targets/{target.id}/propose", json={"values": values}, headers=world["director2"].headers
        )
        assert proposed.status_code == 200, proposed.text
        accepted = await api.post(f"/v1/targets/{target.id}/accept", headers=world["m2"].headers)
        assert accepted.status_code == 200, accepted.text
    checkin_task = await open_task(world, assignee_id=m2.id, task_key="checkin-30")
    manager, page = await person(browser, world, "m2")
    await page.goto("/inbox")
    await page.click(f"a[href='/tasks/{checkin_task.id}']")
    await expect(page.locator("details dl.facts")).to_contain_text("Behind pace")
    await page.fill("textarea[name=f_cause]", "Two tenders were postponed to next quarter")
    await page.fill("textarea[name=f_actions]", "Weekly visits to both; a pilot offer")
    await page.fill("textarea[name=f_help_needed]", "A product demo from the director")
    await shot(page, "targets-checkin-form")
    await page.click("#submit-form")
    await expect(page.locator(".flash")).to_contain_text("Form submitted.")
    ack = await open_task(world, assignee_id=director2.id, task_key="acknowledge-30")
    boss, b_page = await person(browser, world, "director2")
    await b_page.goto(f"/tasks/{ack.id}")
    await b_page.fill("textarea[name=f_comment]", "Agreed; I'll join the demo")
    await b_page.click("#submit-form")
    await expect(b_page.locator(".flash")).to_contain_text("Form submitted.")

    async def acknowledged():
        async with world.sessions() as session:
            row = await session.scalar(select(TargetCheckIn).where(TargetCheckIn.target_set_id == target.id))
            return row if row is not None and row.status == "acknowledged" else None

    await wait_for(acknowledged, what="the check-in acknowledged")
    await b_page.goto(f"/targets/{target.id}")
    await expect(b_page.locator("#checkins")).to_contain_text("Two tenders were postponed")
    await expect(b_page.locator("#checkins")).to_contain_text("Acknowledged")
    await shot(b_page, "targets-checkin-acknowledged")
    await handle.terminate("test finished")
    for context in (manager, boss):
        await context.close()
