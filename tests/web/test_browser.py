"""The web workspace in a real browser: Debian's Chromium driven by Playwright, against the real app over HTTP.

One server, worker and browser for the whole module; each person gets their own browser context.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from db.models import Complaint, Customer, Notification, Review, Task
from tests.web.conftest import PASSWORD, SCREENSHOTS, World, pool_customer, wait_for

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: the browser tests must run in CI", pytrace=False)
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium not found (apt-get install chromium fonts-wqy-microhei)",
        allow_module_level=True,
    )

from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched by its path (Playwright never downloads a browser here)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def person(browser: Browser, world: World, who: str, language: str = "en") -> tuple[BrowserContext, Page]:
    """A browser context signed in as `who` through the sign-in page."""
    locale = "zh-CN" if language == "zh" else "en-US"
    context = await browser.new_context(
        base_url=world.base_url,
        locale=locale,
        extra_http_headers={"Accept-Language": locale},
        viewport={"width": 1360, "height": 900},
    )
    context.set_default_timeout(45_000)  # the machine running the suite may be busy
    context.set_default_navigation_timeout(45_000)
    page = await context.new_page()
    await page.goto("/signin")
    await page.fill("input[name=email]", world[who].email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form[action='/signin'] button[type=submit]")
    await page.wait_for_url(re.compile(r"^(?!.*/signin).*$"))
    return context, page


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def reload_until(page: Page, selector: str, text: str, timeout: float = 30.0) -> None:
    """Reload until the element shows the text (the process writes its rows asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if text in (await page.locator(selector).inner_text()):
            return
        assert loop.time() < deadline, f"{selector} never showed {text!r}"
        await asyncio.sleep(0.3)
        await page.reload()


async def open_task(world: World, **where) -> Task:
    async def find():
        async with world.sessions() as session:
            query = select(Task).where(Task.status == "open", *[getattr(Task, k) == v for k, v in where.items()])
            return await session.scalar(query.order_by(Task.id.desc()))

    return await wait_for(find, what=f"an open task {where}")


async def test_sign_in_and_sign_out(world: World, browser: Browser) -> None:
    context = await browser.new_context(
        base_url=world.base_url, locale="en-US", extra_http_headers={"Accept-Language": "en-US"}
    )
    page = await context.new_page()
    await page.goto("/inbox")
    await expect(page).to_have_url(re.compile(r"/signin\?next=/inbox$"))
    await shot(page, "signin")
    await page.fill("input[name=email]", world["l2"].email)
    await page.fill("input[name=password]", "wrong password")
    await page.click("form[action='/signin'] button[type=submit]")
    await expect(page.locator(".flash.error")).to_contain_text("Wrong email or password")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form[action='/signin'] button[type=submit]")
    await expect(page).to_have_url(re.compile(r"/inbox$"))  # back where the person wanted to go
    await expect(page.locator("header .who")).to_contain_text("Han Mei L2")
    await page.click("#signout")
    await expect(page).to_have_url(re.compile(r"/signin$"))
    await expect(page.locator(".flash")).to_contain_text("You are signed out.")
    await page.goto("/inbox")
    await expect(page).to_have_url(re.compile(r"/signin\?next="))
    await context.close()


async def test_complaint_resolved_with_compensation_and_a_racing_approval(world: World, browser: Browser) -> None:
    customer = await world.customer(world["l2"].staff, name="Shanghai Tea House 上海茶馆")
    complaint = await world.complaint(customer)
    manager, page = await person(browser, world, "l2")
    await page.goto("/complaints")
    card = page.locator("section.column[data-stage=open] article", has_text="Shanghai Tea House")
    await expect(card).to_be_visible()
    # The live countdown is our script at work (allowed by the CSP: a file, not inline).
    await expect(card.locator("time.countdown")).to_have_text(re.compile(r"\d\d:\d\d:\d\d"))
    await shot(page, "complaints-board")
    await card.locator("a").click()
    await expect(page.locator("#stage")).to_have_text("Open")
    await expect(page.locator("dd.desc")).to_have_text("parcel <b>late</b> & damaged")  # escaped, shown as text
    await page.click("#acknowledge")
    await expect(page.locator(".flash")).to_contain_text("Complaint acknowledged.")
    await expect(page.locator("#stage")).to_have_text("In progress")
    await page.fill("textarea[name=resolution]", "Refund the shipping and send a new set")
    await page.fill("input[name=compensation_amount]", "2000")
    await page.click("#resolve")
    await expect(page.locator(".flash")).to_contain_text("Resolution recorded.")
    await reload_until(page, "#stage", "Pending approval")
    await expect(page.locator("#compensation")).to_contain_text("2,000.00")
    await shot(page, "complaint")

    task = await open_task(world, workflow_id=complaint["process_id"])
    assert task.assignee_id == world["l1"].staff.id  # above 1000: the owner's supervisor approves
    supervisor, l1_page = await person(browser, world, "l1")
    admin, admin_page = await person(browser, world, "admin")
    row = l1_page.locator("#inbox tr", has_text=task.title)
    await expect(row).to_contain_text("Complaint")
    await expect(row.locator(f"a[href='/complaints/{complaint['id']}']")).to_be_visible()
    await row.locator(f"a[href='/tasks/{task.id}']").first.click()
    await admin_page.goto(f"/tasks/{task.id}")  # a second browser has the same task open
    await shot(l1_page, "task-approval")
    await l1_page.fill("textarea[name=comment]", "OK, good resolution")
    await l1_page.click("#approve")
    await expect(l1_page.locator(".flash")).to_contain_text("Approved.")
    await admin_page.click("#approve")  # lost the race
    await expect(admin_page.locator(".flash.warn")).to_contain_text("Already decided by Li Lei L1")
    await expect(admin_page.locator("#task-status")).to_contain_text("Approved")
    await reload_until(page, "#stage", "Resolved")
    async with world.sessions() as session:
        row = await session.get(Complaint, complaint["id"])
        assert row.status == "resolved" and row.compensation_amount == 2000
    for context in (manager, supervisor, admin):
        await context.close()


async def test_a_manager_opening_another_teams_complaint_gets_404(world: World, browser: Browser) -> None:
    northern = await world.customer(world["m2"].staff, name="Harbin Ice Works")
    complaint = await world.complaint(northern)
    context, page = await person(browser, world, "l2")
    response = await page.goto(f"/complaints/{complaint['id']}")
    assert response is not None and response.status == 404
    await expect(page.locator("h1")).to_contain_text("Not found")
    assert "Harbin" not in await page.content()
    await shot(page, "complaint-404")
    await context.close()


async def test_review_self_assessment_and_approval_with_rating(world: World, browser: Browser) -> None:
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as api:
        started = await api.post("/v1/review-cycles", json={"period": "2019Q2"}, headers=world["admin"].headers)
        assert started.status_code == 202, started.text
    l2 = world["l2"].staff
    form_task = await open_task(world, assignee_id=l2.id, process_type="review")
    context, page = await person(browser, world, "l2")
    await page.goto("/reviews")
    await shot(page, "reviews-manager")
    await page.click(f"#my-reviews a[href='/tasks/{form_task.id}']")
    await page.click("#submit-form")  # empty: the server answers with a message next to each field
    await expect(page.locator("label.invalid", has_text="Summary")).to_contain_text("This field is required.")
    await expect(page.locator("label.invalid", has_text="Self rating")).to_contain_text("This field is required.")
    await page.fill("textarea[name=f_summary]", "Kept every key account; two new tier-1 customers")
    await page.fill("textarea[name=f_next_quarter_goals]", "Grow the east region by 10%")
    await page.fill("input[name=f_self_rating]", "9")
    await page.click("#submit-form")
    await expect(page.locator("label.invalid", has_text="Self rating")).to_contain_text("At most 5")
    await page.fill("input[name=f_self_rating]", "4")
    await page.click("#submit-form")
    await expect(page.locator(".flash")).to_contain_text("Form submitted.")

    async def approval_task():
        async with world.sessions() as session:
            tasks = await session.scalars(
                select(Task).where(
                    Task.status == "open", Task.process_type == "review", Task.assignee_id == world["l1"].staff.id
                )
            )
            return next((t for t in tasks if (t.context or {}).get("manager_id") == l2.id), None)

    approval = await wait_for(approval_task, what="the supervisor's approval of the review")
    supervisor, l1_page = await person(browser, world, "l1")
    await l1_page.goto("/reviews")
    # The supervisor's decision is an approval carrying a rating and a comment, made on the reviews page.
    review_id = approval.context["review_id"]
    await l1_page.click(f"#team-reviews a[href='#decide-{review_id}']")
    await expect(l1_page.locator(f"#decide-{review_id}")).to_contain_text("Kept every key account")
    await l1_page.select_option(f"#rating-{review_id}", "5")
    await l1_page.fill(f"#comment-{review_id}", "Excellent quarter")
    await l1_page.click(f"#approve-{review_id}")
    await expect(l1_page.locator(".flash")).to_contain_text("Review approved.")

    async def approved():
        async with world.sessions() as session:
            review = await session.scalar(select(Review).where(Review.manager_id == l2.id))
            return review if review.status == "approved" else None

    review = await wait_for(approved, what="the review approved")
    assert review.rating == 5
    await l1_page.goto("/reviews")
    await expect(l1_page.locator("#team-reviews tr", has_text="Han Mei L2")).to_contain_text("Approved")
    await shot(l1_page, "reviews-supervisor")
    director, d_page = await person(browser, world, "director", language="zh")
    await d_page.goto("/reviews")
    await expect(d_page.locator("h1")).to_have_text("考核")
    await shot(d_page, "reviews-director-zh")
    for c in (context, supervisor, director):
        await c.close()


async def test_a_pool_claim_with_caps_shown_first(world: World, browser: Browser) -> None:
    free = await pool_customer(world, world["m2"].staff, name="Pool Bakery 面包坊")
    own = await pool_customer(world, world["l2"].staff, name="Recently Lost Ltd")
    async with world.sessions() as session, session.begin():
        row = await session.get(Customer, own.id)
        row.reclaimed_at = datetime.now(UTC) - timedelta(days=2)  # inside the former owner's cooldown
    context, page = await person(browser, world, "l2")
    await page.goto("/pool")
    await expect(page.locator("#caps")).to_contain_text("Claims today: 0 of")
    await expect(page.locator("#pool tr", has_text="Pool Bakery")).to_contain_text("no follow-up for 30 days")
    await expect(page.locator("#pool tr", has_text="Recently Lost")).to_contain_text("Cooling down until")
    await shot(page, "pool")
    await page.locator("#pool tr", has_text="Pool Bakery").locator("button.claim").click()
    await expect(page.locator(".flash")).to_contain_text("Claimed: Pool Bakery 面包坊 is now in your book.")
    await expect(page).to_have_url(re.compile(rf"/customers/{free.id}$"))
    await shot(page, "customer")
    await page.goto("/pool")
    await expect(page.locator("#caps")).to_contain_text("Claims today: 1 of")
    async with world.sessions() as session:
        assert (await session.get(Customer, free.id)).owner_id == world["l2"].staff.id
    await context.close()


async def test_ops_pauses_unpauses_and_triggers_a_schedule(
    world: World, browser: Browser, schedules, local_env
) -> None:
    handle = local_env.client.get_schedule_handle("reclaim-daily")
    before = (await handle.describe()).info.num_actions
    context, page = await person(browser, world, "ops")
    await page.goto("/ops/schedules")
    row = page.locator("tr[data-schedule=reclaim-daily]")
    await row.locator("button.pause").click()
    await expect(page.locator(".flash")).to_contain_text("Schedule paused.")
    await expect(row.locator("td.state")).to_contain_text("Paused")
    assert (await handle.describe()).schedule.state.paused
    await shot(page, "schedules")
    await row.locator("button.unpause").click()
    await expect(page.locator(".flash")).to_contain_text("Schedule running again.")
    assert not (await handle.describe()).schedule.state.paused
    await row.locator("button.trigger").click()
    await expect(page.locator(".flash")).to_contain_text("Schedule triggered")

    async def ran():
        return (await handle.describe()).info.num_actions > before

    await wait_for(ran, what="the triggered run")

    await page.goto("/ops/processes?type=complaint")
    await expect(page.locator("#processes tbody tr").first).to_contain_text("complaint-")
    await shot(page, "processes")
    bad = await page.goto("/ops/processes?cursor=not-a-cursor")
    assert bad is not None and bad.status == 422
    await page.goto("/ops/processes?type=complaint")
    await page.locator("#processes tbody tr a").first.click()
    await expect(page.locator("#temporal-ui")).to_have_attribute("href", re.compile(r"/namespaces/default/workflows/"))
    await expect(page.locator("#history li").first).to_be_visible()
    await shot(page, "process")
    await page.goto("/ops/definitions")
    await expect(page.locator("#definitions")).to_contain_text("complaint")
    await shot(page, "definitions")
    await context.close()


async def test_the_inbox_in_chinese_and_in_english(world: World, browser: Browser) -> None:
    customer = await world.customer(world["l2"].staff, name="Bilingual Co")
    complaint = await world.complaint(customer, severity="critical")
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as api:
        url = f"/v1/complaints/{complaint['id']}"
        assert (await api.post(f"{url}/acknowledge", json={}, headers=world["l2"].headers)).status_code == 200
        resolved = await api.post(
            f"{url}/resolve", json={"resolution": "refund", "compensation_amount": "1500"}, headers=world["l2"].headers
        )
        assert resolved.status_code == 200, resolved.text
    task = await open_task(world, workflow_id=complaint["process_id"])
    zh_context, zh = await person(browser, world, "l1", language="zh")
    await zh.goto("/inbox")
    await expect(zh.locator("h1")).to_have_text("我的待办")
    await expect(zh.locator("nav")).to_contain_text("客户公海")
    row = zh.locator("#inbox tr", has_text=task.title)
    await expect(row).to_contain_text("投诉")  # the process, translated
    await expect(row).to_contain_text("审批")  # the kind, translated
    await expect(row).to_contain_text("¥1,500.00")
    await shot(zh, "inbox-zh")
    en_context, en = await person(browser, world, "l1", language="en")
    await en.goto("/inbox")
    await expect(en.locator("h1")).to_have_text("My inbox")
    await expect(en.locator("nav")).to_contain_text("Public pool")
    await expect(en.locator("#inbox tr", has_text=task.title)).to_contain_text("Approval")
    await shot(en, "inbox-en")
    await zh_context.close()
    await en_context.close()


async def test_a_form_post_without_csrf_token_is_refused(world: World, browser: Browser) -> None:
    customer = await world.customer(world["l2"].staff, name="Forgery Target")
    context, page = await person(browser, world, "l2", language="zh")
    await page.goto(f"/customers/{customer.id}")
    # The browser's own cookies, a forged form without the page's token (what a cross-site form would send).
    forged = await page.request.post(f"/customers/{customer.id}/follow-ups", form={"channel": "phone", "note": "x"})
    assert forged.status == 403
    assert "安全令牌" in await forged.text()
    await page.fill("textarea[name=note]", "真实的跟进")
    await page.click("#record-follow-up")
    await expect(page.locator(".flash")).to_contain_text("跟进已记录")
    await context.close()


async def test_screenshots_of_the_other_main_pages(world: World, browser: Browser) -> None:
    context, page = await person(browser, world, "director", language="zh")
    await page.goto("/customers")
    await expect(page.locator("h1")).to_contain_text("客户")
    await shot(page, "customers")
    await page.goto("/customers/new")
    await shot(page, "onboard")
    await page.goto("/staff")
    await expect(page.locator("#staff")).to_contain_text("Li Lei L1")
    await shot(page, "staff")
    await context.close()
    admin, page = await person(browser, world, "admin")
    await page.goto(f"/staff/{world['l2'].staff.id}")
    await page.select_option("select[name=delegate_id]", str(world["l1"].staff.id))
    await page.fill("input[name=out_of_office_until]", "2030-01-31")
    await page.click("#save-staff")
    await expect(page.locator(".flash")).to_contain_text("Saved.")
    await shot(page, "staff-edit")
    await admin.close()


async def test_the_bell_and_the_notification_list_in_chinese(world: World, browser: Browser) -> None:
    director2 = world["director2"].staff
    async with world.sessions() as session, session.begin():
        for kind, entity_type, entity_id, subject in (
            ("complaint.escalated", "complaint", "C-42", "投诉 C-42 已升级到您，请在 2 小时内回复"),
            ("task.assigned", "task", "4242", "请审批 ¥800 的补偿"),
        ):
            session.add(
                Notification(
                    recipient_id=director2.id, kind=kind, subject=subject, entity_type=entity_type, entity_id=entity_id
                )
            )
    context, page = await person(browser, world, "director2", language="zh")
    await page.goto("/notifications")
    await expect(page.locator("h1")).to_contain_text("通知")
    before = int(await page.locator("#bell .count").inner_text())
    assert before >= 2
    row = page.locator("#notifications tr", has_text="C-42")
    await expect(row.locator("a.subject")).to_have_attribute("href", "/complaints/C-42")
    await shot(page, "notifications-zh")
    await row.locator("button.mark-read").click()
    await expect(page.locator(".flash")).to_contain_text("已标为已读")
    await expect(page.locator("#bell .count")).to_have_text(str(before - 1))
    await page.click("#read-all")
    await expect(page.locator("#bell .count")).to_have_text("0")
    await context.close()
