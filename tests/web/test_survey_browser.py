"""The survey in Chromium: the customer answers on a phone-sized screen (zh-CN and en); the owner sees the
recovery task in the inbox and the results on the customer and team pages. Screenshots of each."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from crmflow.survey_links import make_token
from db.models import SurveyInvitation, Task
from tests.web.conftest import PASSWORD, SCREENSHOTS, World, wait_for

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: the browser tests must run in CI", pytrace=False)
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium not found (apt-get install chromium fonts-wqy-microhei)",
        allow_module_level=True,
    )

from playwright.async_api import Browser, async_playwright, expect  # noqa: E402

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
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched by its path (Playwright never downloads a browser here)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def _invited(world: World, language: str) -> tuple[int, SurveyInvitation]:
    customer = await world.customer(world["l2"].staff, tier=2, name=f"华东贸易 {uuid.uuid4().hex[:4]}")
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        assert (
            await client.put(
                f"/v1/customers/{customer.id}/survey-contact",
                headers=world["l2"].headers,
                json={"name": "王女士", "email": f"wang-{language}@acme.test", "language": language},
            )
        ).status_code == 200
        assert (
            await client.post("/v1/survey-waves", headers=world["l2"].headers, json={"customer_ids": [customer.id]})
        ).status_code == 202

    async def invited():
        async with world.sessions() as session:
            return await session.scalar(
                select(SurveyInvitation).where(
                    SurveyInvitation.customer_id == customer.id, SurveyInvitation.status == "invited"
                )
            )

    return customer.id, await wait_for(invited, what="the invitation")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_customer_answers_on_a_phone(browser: Browser, world: World, language: str) -> None:
    customer_id, invitation = await _invited(world, language)
    link = f"/survey/{make_token(world.settings, invitation.id, invitation.expires_at)}"
    # The customer's browser says nothing of their language: the page follows the invitation.
    context = await browser.new_context(
        base_url=world.base_url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="en-US" if language == "zh-CN" else "zh-CN",
    )
    context.set_default_timeout(45_000)
    page = await context.new_page()
    await page.goto(link)
    await expect(page.locator("html")).to_have_attribute("lang", language)
    heading = "您对我们的服务满意吗？" if language == "zh-CN" else "How are we doing?"
    await expect(page.locator("h1")).to_have_text(heading)
    # Fits the phone: nothing scrolls sideways.
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await page.screenshot(path=str(SCREENSHOTS / f"survey-form-phone-{language}.png"), full_page=True)
    # Sending without the required CSAT: the page says which answer is missing, nothing is recorded.
    await page.locator("#q-nps label", has_text="3").first.click()
    await page.get_by_role("button").click()
    await expect(page.locator("#q-csat .problem")).to_be_visible()
    await page.locator("#q-csat label").nth(1).click()  # CSAT 2
    await page.locator("textarea[name=comment]").fill("交货太慢" if language == "zh-CN" else "Delivery too slow")
    await page.get_by_role("button").click()
    await expect(page.locator("h1")).to_have_text("谢谢您！" if language == "zh-CN" else "Thank you!")
    await page.screenshot(path=str(SCREENSHOTS / f"survey-thanks-phone-{language}.png"), full_page=True)
    # The same link again: already answered, clearly.
    await page.goto(link)
    await expect(page.locator("h1")).to_have_text("已作答" if language == "zh-CN" else "Already answered")
    await context.close()
    async with world.sessions() as session:
        row = await session.get(SurveyInvitation, invitation.id)
    assert (row.status, row.csat, row.nps) == ("answered", 2, 3)


async def test_owner_sees_recovery_in_inbox_and_results(browser: Browser, world: World) -> None:
    customer_id, invitation = await _invited(world, "zh-CN")
    async with httpx.AsyncClient(base_url=world.base_url, timeout=30) as client:
        sent = await client.post(
            f"/survey/{make_token(world.settings, invitation.id, invitation.expires_at)}",
            data={"csat": "1", "nps": "2", "comment": "很失望"},
        )
        assert sent.status_code == 303

    async def recovery():
        async with world.sessions() as session:
            return await session.scalar(select(Task).where(Task.workflow_id == invitation.workflow_id))

    task = await wait_for(recovery, what="the recovery task")
    context = await browser.new_context(
        base_url=world.base_url,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN"},
        viewport={"width": 1360, "height": 900},
    )
    context.set_default_timeout(45_000)
    page = await context.new_page()
    await page.goto("/signin")
    await page.fill("input[name=email]", world["l2"].email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form[action='/signin'] button[type=submit]")
    await page.wait_for_url(re.compile(r"^(?!.*/signin).*$"))
    await page.goto("/inbox")
    await expect(page.locator(f"a[href='/tasks/{task.id}']").first).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "survey-recovery-inbox-zh.png"), full_page=True)
    await page.goto(f"/customers/{customer_id}")
    await expect(page.locator("#surveys")).to_have_text("满意度调查")
    await expect(page.locator("table.surveys")).to_contain_text("挽回进行中")
    await page.screenshot(path=str(SCREENSHOTS / "survey-customer-zh.png"), full_page=True)
    # The owner completes the recovery with what was done; the customer page says it was recovered.
    await page.goto(f"/tasks/{task.id}")
    await page.locator("[name=f_actions]").fill("电话致歉并补发货物")
    await page.locator("#submit-form").click()
    await wait_for(lambda: _recovery_status(world, invitation.id, "completed"), what="the recovery closed")
    await page.goto(f"/customers/{customer_id}")
    await expect(page.locator("table.surveys")).to_contain_text("电话致歉并补发货物")
    await page.goto("/surveys")
    await expect(page.locator("canvas#survey-trend")).to_be_visible()
    await page.wait_for_function("document.querySelector('canvas#survey-trend').dataset.drawn === '1'")
    await page.screenshot(path=str(SCREENSHOTS / "survey-team-zh.png"), full_page=True)
    await context.close()


async def _recovery_status(world: World, invitation_id: int, status: str) -> bool:
    async with world.sessions() as session:
        return (await session.get(SurveyInvitation, invitation_id)).recovery_status == status
