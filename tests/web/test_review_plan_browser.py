"""The supervisor's review decision in a real browser: refused without a rating, returned, then approved."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect
from sqlalchemy import select

from db.models import Review, Task
from tests.web import test_browser as browser_tests
from tests.web.conftest import World, wait_for
from tests.web.test_browser import person, shot

browser = browser_tests.browser  # the Chromium fixture, one per module
ANSWER = {"summary": "Kept every key account", "next_quarter_goals": "Two new tier-1 customers", "self_rating": 4}


async def _open_review_task(world: World, key: str, assignee_id: int) -> Task:
    async def found():
        async with world.sessions() as session:
            return await session.scalar(
                select(Task).where(
                    Task.status == "open",
                    Task.process_type == "review",
                    Task.task_key == key,
                    Task.assignee_id == assignee_id,
                )
            )

    return await wait_for(found, what=f"the review task {key}")


async def _self_assess(api: httpx.AsyncClient, world: World, key: str) -> None:
    task = await _open_review_task(world, key, world["l2"].staff.id)

    async def taken():  # the row is written a moment before the workflow takes answers on it (409 meanwhile)
        response = await api.post(f"/v1/tasks/{task.id}/complete", json={"data": ANSWER}, headers=world["l2"].headers)
        assert response.status_code in (200, 409), response.text
        return response.status_code == 200

    await wait_for(taken, what=f"{key} completed")


async def test_supervisor_rates_and_comments_a_review(world: World, browser: Browser, local_env) -> None:
    l1 = world["l1"].staff
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as api:
        started = await api.post("/v1/review-cycles", json={"period": "2018Q3"}, headers=world["admin"].headers)
        assert started.status_code == 202, started.text
        await _self_assess(api, world, "self-assessment-1")
        approval = await _open_review_task(world, "approval-1", l1.id)
        review_id = approval.context["review_id"]

        supervisor, page = await person(browser, world, "l1")
        await page.goto("/inbox")
        await page.click(f"a[href='/reviews#decide-{review_id}']")
        form = page.locator(f"#decide-{review_id}")
        await expect(form).to_contain_text("Kept every key account")
        # Approving without a rating is refused, and nothing changes.
        await page.fill(f"#comment-{review_id}", "Good")
        await page.click(f"#approve-{review_id}")
        await expect(page.locator(".flash")).to_contain_text("Approving needs a rating from 1 to 5 and a comment.")
        async with world.sessions() as session:
            assert (await session.get(Review, review_id)).rating is None
        # Returned for rework with a comment: the manager gets a second self-assessment.
        await page.fill(f"#comment-{review_id}", "Add the revenue figures")
        await page.click(f"#reject-{review_id}")
        await expect(page.locator(".flash")).to_contain_text("Review returned for rework.")
        await _self_assess(api, world, "self-assessment-2")
        await _open_review_task(world, "approval-2", l1.id)

        await page.goto("/reviews")
        await page.select_option(f"#rating-{review_id}", "4")
        await page.fill(f"#comment-{review_id}", "Strong quarter, keep the follow-ups up")
        # A plan item with a share above 1 is refused, and nothing is decided.
        await page.select_option(f"#plan-metric-{review_id}-1", "followup_coverage")
        await page.fill(f"#plan-baseline-{review_id}-1", "0.6")
        await page.fill(f"#plan-target-{review_id}-1", "90")
        await page.fill(f"#plan-due-{review_id}-1", "2999-03-31")
        await page.click(f"#approve-{review_id}")
        await expect(page.locator(".flash")).to_contain_text("Each plan item needs a metric")
        await page.select_option(f"#rating-{review_id}", "4")
        await page.fill(f"#comment-{review_id}", "Strong quarter, keep the follow-ups up")
        await page.select_option(f"#plan-metric-{review_id}-1", "followup_coverage")
        await page.fill(f"#plan-baseline-{review_id}-1", "0.6")
        await page.fill(f"#plan-target-{review_id}-1", "0.9")
        await page.fill(f"#plan-due-{review_id}-1", "2999-03-31")
        await page.select_option(f"#plan-metric-{review_id}-2", "revenue")
        await page.fill(f"#plan-baseline-{review_id}-2", "1000")
        await page.fill(f"#plan-target-{review_id}-2", "5000")
        await page.fill(f"#plan-due-{review_id}-2", "2999-06-30")
        await shot(page, "review-decision-form")
        await page.click(f"#approve-{review_id}")
        await expect(page.locator(".flash")).to_contain_text("Review approved.")

    async def approved():
        async with world.sessions() as session:
            review = await session.get(Review, review_id, populate_existing=True)
            return review if review.status == "approved" else None

    review = await wait_for(approved, what="the review approved")
    assert (review.rating, review.comment, review.decided_by, review.rework_rounds) == (
        4,
        "Strong quarter, keep the follow-ups up",
        l1.id,
        1,
    )
    await page.goto("/reviews")
    row = page.locator("#team-reviews tr", has_text="Han Mei L2").first
    await expect(row).to_contain_text("Approved")
    await expect(row).to_contain_text("4")
    await expect(page.locator("#team-reviews .review-comment").first).to_contain_text("Strong quarter")
    await browser_tests.reload_until(page, "#team-reviews", "Improvement plan")
    plan = page.locator("#team-reviews table.plan").first
    await expect(plan.locator("tr.plan-item")).to_have_count(2)
    await expect(plan).to_contain_text("Follow-up coverage")
    await expect(plan).to_contain_text("2999-06-30")
    await expect(plan.locator("tr.plan-item").first).to_contain_text("Open")
    await shot(page, "review-approved-supervisor")

    manager, m_page = await person(browser, world, "l2", language="zh")
    await m_page.goto("/reviews")
    await expect(m_page.locator("#my-reviews .review-comment").first).to_contain_text("上级评语")
    await expect(m_page.locator("#my-reviews .review-comment").first).to_contain_text("Strong quarter")
    await expect(m_page.locator("#my-reviews table.plan").first).to_contain_text("5000")
    await expect(m_page.locator("#my-reviews .review-plan").first).to_contain_text("改进计划")
    await shot(m_page, "review-approved-manager-zh")
    # Another team's manager sees no decision form and cannot post one.
    other, o_page = await person(browser, world, "m2")
    await o_page.goto("/reviews")
    assert await o_page.locator(f"#decide-{review_id}").count() == 0
    for context in (supervisor, manager, other):
        await context.close()
    # The plan is tracked until 2999: nothing may stay running on the shared server.
    await local_env.client.get_workflow_handle(f"{review.workflow_id}-plan").terminate("test finished")
