"""Approval flows in a real browser (Chromium): an operator's new flow file used with no code change, 会签 in
parallel, send back and resubmit, recall — in zh-CN and en, with screenshots."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crmflow.cli import app as cli_app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import ApprovalRequest, Task
from tests.web.conftest import World, wait_for
from tests.web import test_browser as chromium  # skips this module too when Chromium is missing
from tests.web.test_browser import person, reload_until, shot

from playwright.async_api import Browser, expect  # noqa: E402 - after test_browser's Chromium check

browser = chromium.browser  # the module's Chromium (a fixture)

# What an operator writes: a flow the code has never heard of. The supervisor and the director sign it
# together (会签), each in their own language.
PURCHASE = """\
flow: purchase
version: 1
title: Equipment purchase
titles: {zh_CN: 设备采购}
subject: none
form:
  fields:
    item: {type: string, required: true, min: 3, max: 200, label: Item, labels: {zh_CN: 采购物品}}
    amount: {type: number, required: true, min: 1, max: 1000000, label: Amount, labels: {zh_CN: 金额}}
    urgent: {type: boolean, label: Urgent, labels: {zh_CN: 加急}}
steps:
  - name: sign
    title: Supervisor and director sign together
    titles: {zh_CN: 主管与总监会签}
    approvers:
      - {chain: {of: requester, levels: 1}}
      - {director: requester}
    mode: all
    due_in: 2d
final_outcome: reject
"""


@pytest.fixture(scope="module")
def web_definitions_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An editable copy of the packaged definitions: the folder an operator adds flow files to."""
    target = tmp_path_factory.mktemp("approval-defs") / "definitions"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def check(folder: Path):
    return CliRunner().invoke(cli_app, ["definitions", "check", str(folder)], env={"CRMFLOW_LOG_JSON": "false"})


async def approval_of(world: World, title: str) -> ApprovalRequest:
    async def find():
        async with world.sessions() as session:
            return await session.scalar(select(ApprovalRequest).where(ApprovalRequest.title == title))

    return await wait_for(find, what=f"the request {title!r}")


async def holders(world: World, approval_id: str, expected: set[int]) -> None:
    async def check_open():
        async with world.sessions() as session:
            row = await session.get(ApprovalRequest, approval_id)
            tasks = await session.scalars(
                select(Task).where(Task.workflow_id == row.workflow_id, Task.status == "open")
            )
            return {t.assignee_id for t in tasks} == expected

    await wait_for(check_open, what=f"open tasks of {expected}")


async def test_an_operators_new_flow_is_signed_by_two_approvers_in_parallel(
    world: World, browser: Browser, web_definitions_dir: Path
) -> None:
    l2_context, l2 = await person(browser, world, "l2", language="zh")
    flow_file = web_definitions_dir / "flows" / "purchase.yaml"
    # A first draft with a condition on a field the form does not have: the check names file and line.
    flow_file.write_text(
        PURCHASE.replace("    mode: all\n", "    mode: all\n    when: {budget: {gt: 100}}\n"), encoding="utf-8"
    )
    refused = await asyncio.to_thread(check, web_definitions_dir)
    assert refused.exit_code == 1
    assert re.search(r"purchase\.yaml:\d+: .*unknown field 'budget'", refused.output), refused.output
    broken = await l2.goto("/approvals/new")  # the workspace refuses the folder the check refuses
    assert broken is not None and broken.status == 503
    assert (await l2.goto("/approvals")).status == 200  # the lists still work
    flow_file.write_text(PURCHASE, encoding="utf-8")
    accepted = await asyncio.to_thread(check, web_definitions_dir)
    assert accepted.exit_code == 0, accepted.output
    assert "purchase" in accepted.output

    # No restart, no code: the manager finds the flow in the workspace (in Chinese) and files a request.
    await l2.goto("/approvals")
    await expect(l2.locator("nav a[href='/approvals']")).to_have_text("审批")
    await l2.click("#new-request")
    await l2.select_option("#pick-flow select[name=flow]", label="设备采购")
    await l2.click("#choose-flow")
    await expect(l2.locator("#request-form h2")).to_contain_text("设备采购")
    await expect(l2.locator("#request-form")).to_contain_text("主管与总监会签")
    await l2.click("#submit-request")  # empty: the server's message next to each field
    await expect(l2.locator("label.invalid[data-field=title]")).to_contain_text("此项必填。")
    await expect(l2.locator("label.invalid[data-field=item]")).to_contain_text("采购物品")
    await expect(l2.locator("label.invalid[data-field=item] .field-error")).to_have_text("此项必填。")
    await l2.fill("input[name=title]", "Two laptops 两台笔记本")
    await l2.fill("input[name=f_item]", "ThinkPad X1")
    await l2.fill("input[name=f_amount]", "2000000")
    await l2.check("input[name=f_urgent]")
    await l2.click("#submit-request")
    await expect(l2.locator("label.invalid[data-field=amount] .field-error")).to_have_text("不能大于 1000000。")
    await shot(l2, "approval-new-zh")
    await l2.fill("input[name=f_amount]", "16800")
    await l2.click("#submit-request")
    await expect(l2.locator(".flash")).to_contain_text("申请已提交")
    await expect(l2.locator("#approval-status")).to_contain_text("待审批")
    request = await approval_of(world, "Two laptops 两台笔记本")
    assert request.flow == "purchase" and request.fields == {"item": "ThinkPad X1", "amount": 16800, "urgent": True}
    l1_id, director_id = world["l1"].staff.id, world["director"].staff.id
    await holders(world, request.id, {l1_id, director_id})  # both at once: one step, two approvers

    # Both approvers have it waiting; each opens it from their inbox and signs.
    l1_context, l1 = await person(browser, world, "l1", language="en")
    d_context, director = await person(browser, world, "director", language="zh")
    await l1.goto("/inbox")
    await l1.locator("#inbox tr", has_text="Two laptops").locator("a.button").click()
    await expect(l1).to_have_url(re.compile(rf"/approvals/{request.id}$"))
    await expect(l1.locator("#current-step")).to_contain_text("every approver must approve")
    await expect(l1.locator("#deciders")).to_contain_text("Li Lei L1")
    await expect(l1.locator("#deciders")).to_contain_text("赵敏 Director")
    await director.goto("/approvals?show=awaiting")
    await expect(director.locator("#approvals tr", has_text="Two laptops")).to_contain_text("会签")
    await shot(director, "approvals-awaiting-zh")
    await director.locator("#approvals a", has_text="Two laptops").click()
    await expect(l1.locator("#add-approver")).to_be_visible()  # 加签 and delegation for the approver
    await expect(l1.locator("#delegate")).to_be_visible()
    await shot(l1, "approval-decide-en")
    await l1.fill("#decide textarea[name=comment]", "Needed for the new hires")
    await l1.click("#approve")
    await expect(l1.locator(".flash")).to_contain_text("Approved.")
    await reload_until(l1, "#current-step", "1 of 2 approvals")
    await expect(l1.locator("#approval-status")).to_have_text("Pending approval")  # 会签: one signature is not enough
    await expect(l1.locator("#decide")).to_have_count(0)
    await shot(l1, "approval-all-one-signed-en")
    await director.click("#approve")
    await expect(director.locator(".flash")).to_contain_text("批准")
    await reload_until(director, "#approval-status", "已批准")
    await expect(director.locator("#timeline")).to_contain_text("申请已通过")
    await shot(director, "approval-approved-zh")
    await reload_until(l2, "#approval-status", "已批准")
    for context in (l2_context, l1_context, d_context):
        await context.close()


async def test_send_back_resubmit_and_recall_in_the_browser(world: World, browser: Browser) -> None:
    customer = await world.customer(world["l2"].staff, name="Browser Bistro")
    l2_context, l2 = await person(browser, world, "l2", language="en")
    await l2.goto(f"/approvals/new?flow=discount&customer_id={customer.id}")
    await l2.fill("input[name=title]", "Renewal discount")
    await l2.fill("input[name=f_percent]", "20")
    await l2.fill("textarea[name=f_reason]", "competitor offer")
    await l2.click("#submit-request")
    await expect(l2.locator(".flash")).to_contain_text("Request submitted.")
    request = await approval_of(world, "Renewal discount")
    await holders(world, request.id, {world["l1"].staff.id})

    l1_context, l1 = await person(browser, world, "l1", language="en")
    await l1.goto(f"/approvals/{request.id}")
    await l1.click("#approve")
    await holders(world, request.id, {world["director"].staff.id})  # above 15 %: the director decides too
    d_context, director = await person(browser, world, "director", language="en")
    await director.goto(f"/approvals/{request.id}")
    await director.select_option("#decide select[name=to_step]", "requester")
    await director.fill("#decide textarea[name=comment]", "12 % at most, please")
    await director.click("#send-back")
    await expect(director.locator(".flash")).to_contain_text("Sent back.")

    await reload_until(l2, "#approval-status", "Sent back to the requester")
    await expect(l2.locator("#timeline")).to_contain_text("12 % at most, please")
    await expect(l2.locator("#resubmit input[name=f_percent]")).to_have_value("20")
    await shot(l2, "approval-sent-back-en")
    await l2.fill("#resubmit input[name=f_percent]", "12")
    await l2.fill("#resubmit textarea[name=comment]", "12 % then")
    await l2.click("#resubmit-request")
    await expect(l2.locator(".flash")).to_contain_text("Request resubmitted.")
    await holders(world, request.id, {world["l1"].staff.id})
    await l1.goto(f"/approvals/{request.id}")
    await l1.click("#approve")
    await reload_until(l2, "#approval-status", "Approved")
    await expect(l2.locator("#approval-status")).to_contain_text("round 2")
    await expect(l2.locator("#steps tr[data-step=director]")).to_contain_text("Skipped")  # 12 %: no director

    # A second request, recalled by the requester before anyone decides.
    await l2.goto(f"/approvals/new?flow=discount&customer_id={customer.id}")
    await l2.fill("input[name=title]", "Second thoughts")
    await l2.fill("input[name=f_percent]", "5")
    await l2.fill("textarea[name=f_reason]", "goodwill gesture")
    await l2.click("#submit-request")
    await expect(l2.locator("#approval-status")).to_contain_text("Pending")
    await l2.fill("#recall textarea[name=comment]", "the customer renewed anyway")
    await l2.click("#recall-request")
    await expect(l2.locator(".flash")).to_contain_text("Request recalled.")
    await reload_until(l2, "#approval-status", "Recalled")
    await expect(l2.locator("#recall")).to_have_count(0)
    await l2.goto("/approvals?show=mine")
    await expect(l2.locator("#approvals tr", has_text="Second thoughts")).to_contain_text("Recalled")
    await expect(l2.locator("#approvals tr", has_text="Renewal discount")).to_contain_text("Approved")
    await shot(l2, "approvals-mine-en")
    for context in (l2_context, l1_context, d_context):
        await context.close()


async def test_the_second_approver_of_an_any_step_sees_who_decided(world: World, browser: Browser) -> None:
    customer = await world.customer(world["l2"].staff, name="Race Rice Co")
    l2_context, l2 = await person(browser, world, "l2", language="en")
    await l2.goto(f"/approvals/new?flow=customer-transfer&customer_id={customer.id}")
    await l2.fill("input[name=title]", "Hand over to Li Lei")
    await l2.fill("input[name=f_new_owner_id]", str(world["l1"].staff.id))
    await l2.fill("textarea[name=f_reason]", "key account now")
    await l2.click("#submit-request")
    await expect(l2.locator(".flash")).to_contain_text("Request submitted.")
    request = await approval_of(world, "Hand over to Li Lei")
    await holders(world, request.id, {world["l1"].staff.id, world["director"].staff.id})
    l1_context, l1 = await person(browser, world, "l1", language="en")
    d_context, director = await person(browser, world, "director", language="en")
    await l1.goto(f"/approvals/{request.id}")
    await director.goto(f"/approvals/{request.id}")  # both have the page open: 或签, the first decision wins
    await expect(director.locator("#current-step")).to_contain_text("any one approver decides")
    await l1.click("#approve")
    await expect(l1.locator(".flash")).to_contain_text("Approved.")
    await director.click("#reject")
    await expect(director.locator(".flash.warn")).to_contain_text("Already decided by Li Lei L1.")
    await reload_until(director, "#approval-status", "Approved")
    await expect(director.locator("#decide")).to_have_count(0)
    await shot(director, "approval-already-decided-en")
    for context in (l2_context, l1_context, d_context):
        await context.close()
