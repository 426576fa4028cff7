"""Reports and awards in Chromium: charts drawn by the vendored Chart.js under the strict CSP, zh-CN and en."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.web.conftest import SCREENSHOTS, World
from tests.web.reports_data import fill_quarter
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, person, shot  # skips this module without Chromium

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402 - after the Chromium check


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched by its path, as tests/web/test_browser.py launches it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="module")
async def period(world: World) -> str:
    return await fill_quarter(world)


async def drawn(page: Page, chart_id: str) -> None:
    """The chart's canvas was drawn by Chart.js (charts.js marks it) and has a real size."""
    canvas = page.locator(f"canvas#{chart_id}")
    await expect(canvas).to_have_attribute("data-drawn", "1")
    box = await canvas.bounding_box()
    assert box is not None and box["height"] > 100 and box["width"] > 100, box


async def test_a_director_reads_the_reports_of_their_subtree_in_chinese(
    browser: Browser, world: World, period: str
) -> None:
    errors: list[str] = []
    context, page = await person(browser, world, "director", language="zh")
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    await page.goto("/reports")
    await expect(page.locator("h1")).to_have_text("报表")
    await drawn(page, "chart-attainment-people")
    await drawn(page, "chart-attainment-teams")
    table = page.locator("#report-table")
    await expect(table).to_contain_text("Li Lei L1")
    await expect(table).not_to_contain_text("Other Manager")
    await expect(page.locator("#report-sections")).to_contain_text("SLA 达标率")
    await shot(page, "reports-attainment-zh")
    await page.goto("/reports/attainment?limit=4")
    await expect(page.locator("#report-pager")).to_contain_text("第 1–4 行")
    await page.click("#report-pager >> text=下一页")
    await expect(page.locator("#report-pager")).to_contain_text("第 5–8 行")
    await shot(page, "reports-attainment-page-2-zh")
    await page.goto("/reports")
    await page.click("#report-sections >> text=SLA 达标率")
    await drawn(page, "chart-sla-severity")
    await drawn(page, "chart-sla-category")
    await shot(page, "reports-sla-zh")
    await page.click("#report-sections >> text=趋势")
    await drawn(page, "chart-trend-revenue")
    await shot(page, "reports-trends-zh")
    async with page.expect_download() as download:
        await page.click("#csv-export")
    exported = await (await download.value).path()
    assert exported is not None and "Other Manager" not in open(exported, encoding="utf-8").read()
    assert not [e for e in errors if "Content Security Policy" in e or "Chart" in e], errors
    await context.close()


async def test_a_manager_reads_their_award_and_appeals_in_english(browser: Browser, world: World, period: str) -> None:
    context, page = await person(browser, world, "l1")
    await page.goto("/reports/overdue")
    await drawn(page, "chart-overdue")
    await expect(page.locator("#report-table")).to_contain_text("Han Mei L2")  # below L1: in their subtree
    await expect(page.locator("#report-table")).not_to_contain_text("Other Manager")
    await shot(page, "reports-overdue-en")
    await page.goto("/awards")
    await expect(page.locator("#my-awards")).to_contain_text(period)
    await page.click(f"#my-awards >> text={period}")
    lines = page.locator("#award-lines")
    await expect(lines).to_contain_text("New customers")
    await expect(lines).to_contain_text("Gate")
    await page.fill("textarea[name=reason]", "the delivery complaint was a carrier strike")
    await page.fill("input[name=requested_points]", "60")
    await page.click("#appeal-form button[type=submit]")
    await expect(page.locator("#appeal-status")).to_contain_text("Pending")
    await shot(page, "award-appeal-en")
    await context.close()
