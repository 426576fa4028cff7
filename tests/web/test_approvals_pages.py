"""Approval pages over real HTTP: start from a flow's form, the lists, one request's page, its actions and denials."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from db.models import ApprovalRequest, Task
from tests.web.conftest import World, csrf_of, sign_in, wait_for


def client(world: World, language: str = "en") -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=world.base_url, timeout=30, headers={"Accept-Language": language})


async def signed_in(world: World, who: str, language: str = "en") -> httpx.AsyncClient:
    browser = client(world, language)
    assert (await sign_in(browser, world[who])).status_code == 303
    return browser


def field_error(html: str, field: str) -> str:
    """The message shown next to one field of a request form ('' when none)."""
    match = re.search(
        rf'<label class="invalid" data-field="{field}">.*?<span class="field-error">(.*?)</span>', html, flags=re.S
    )
    return match.group(1) if match else ""


async def open_tasks(world: World, approval_id: str) -> list[Task]:
    async with world.sessions() as session:
        row = await session.get(ApprovalRequest, approval_id)
        return list(
            (
                await session.scalars(select(Task).where(Task.workflow_id == row.workflow_id, Task.status == "open"))
            ).all()
        )


async def holders(world: World, approval_id: str, expected: set[int]) -> list[Task]:
    async def check():
        tasks = await open_tasks(world, approval_id)
        return tasks if {t.assignee_id for t in tasks} == expected else None

    return await wait_for(check, what=f"open tasks of {expected}")


async def status_is(world: World, approval_id: str, status: str) -> None:
    async def check():
        async with world.sessions() as session:
            row = await session.scalar(
                select(ApprovalRequest)
                .where(ApprovalRequest.id == approval_id)
                .execution_options(populate_existing=True)
            )
            return row.status == status

    await wait_for(check, what=f"approval {status}")


async def post(browser: httpx.AsyncClient, url: str, page: str, **data) -> httpx.Response:
    """Post a form of `page` (its CSRF token included)."""
    html = (await browser.get(page)).text
    return await browser.post(url, data={"csrf_token": csrf_of(html), **data})


async def start(browser: httpx.AsyncClient, **data) -> str:
    response = await post(browser, "/approvals/new", f"/approvals/new?flow={data['flow']}", **data)
    assert response.status_code == 303, response.text[:2000]
    return response.headers["location"].rsplit("/", 1)[1]


async def test_a_discount_from_the_form_to_approval_with_send_back_and_resubmit(world: World) -> None:
    customer = await world.customer(world["l2"].staff, name="Discount Diner")
    l2 = await signed_in(world, "l2")
    customer_page = await l2.get(f"/customers/{customer.id}")
    assert f'id="start-approval" href="/approvals/new?customer_id={customer.id}"' in customer_page.text
    from_customer = await l2.get(f"/approvals/new?customer_id={customer.id}")  # the picker keeps the customer
    assert f'<input type="hidden" name="customer_id" value="{customer.id}">' in from_customer.text
    picker = await l2.get("/approvals/new")
    assert picker.status_code == 200 and "Customer discount" in picker.text and "Contract approval" in picker.text
    form = await l2.get(f"/approvals/new?flow=discount&customer_id={customer.id}")
    assert 'name="f_percent"' in form.text and 'name="f_reason"' in form.text
    assert f'<option value="{customer.id}" selected>' in form.text

    # Wrong values: the server's messages next to each field, nothing filed.
    bad = await post(
        l2,
        "/approvals/new",
        "/approvals/new?flow=discount",
        flow="discount",
        title="",
        customer_id=str(customer.id),
        f_percent="80",
        f_reason="",
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "title") == "This field is required."
    notyped = await post(
        l2,
        "/approvals/new",
        "/approvals/new?flow=discount",
        flow="discount",
        title="x",
        customer_id=str(customer.id),
        f_percent="lots",
        f_reason="because",
    )
    assert notyped.status_code == 422 and field_error(notyped.text, "percent") == "This value has the wrong type."
    bounds = await post(
        l2,
        "/approvals/new",
        "/approvals/new?flow=discount",
        flow="discount",
        title="Renewal",
        customer_id=str(customer.id),
        f_percent="80",
        f_reason="",
    )
    assert bounds.status_code == 422
    assert field_error(bounds.text, "percent") == "At most 50."
    assert field_error(bounds.text, "reason") == "This field is required."
    assert 'value="Renewal"' in bounds.text  # what was typed is kept
    async with world.sessions() as session:
        assert (await session.scalar(select(ApprovalRequest).where(ApprovalRequest.customer_id == customer.id))) is None

    approval_id = await start(
        l2,
        flow="discount",
        title="20 % for the renewal",
        customer_id=str(customer.id),
        f_percent="20",
        f_reason="competitor offer",
    )
    l1_id, director_id = world["l1"].staff.id, world["director"].staff.id
    await holders(world, approval_id, {l1_id})
    mine = await l2.get("/approvals?show=mine")
    row = re.search(rf'<tr data-approval="{approval_id}".*?</tr>', mine.text, flags=re.S).group(0)
    assert "20 % for the renewal" in row and "Li Lei L1" in row and "Pending" in row
    assert "any one approver decides" in row

    page = (await l2.get(f"/approvals/{approval_id}")).text
    assert 'id="approve"' not in page and 'id="recall-request"' in page  # the requester may recall, not decide

    l1 = await signed_in(world, "l1")
    awaiting = await l1.get("/approvals?show=awaiting")
    assert approval_id in awaiting.text
    inbox = await l1.get("/inbox")
    assert f'href="/approvals/{approval_id}"' in inbox.text  # the approval task opens the request's page
    l1_page = (await l1.get(f"/approvals/{approval_id}")).text
    assert 'id="approve"' in l1_page and 'id="send-back"' in l1_page and 'id="recall-request"' not in l1_page
    approved = await post(
        l1, f"/approvals/{approval_id}/decision", f"/approvals/{approval_id}", decision="approve", comment="fine by me"
    )
    assert approved.status_code == 303
    await holders(world, approval_id, {director_id})  # above 15 %: the director too

    director = await signed_in(world, "director")
    sent_back = await post(
        director,
        f"/approvals/{approval_id}/decision",
        f"/approvals/{approval_id}",
        decision="send_back",
        to_step="requester",
        comment="make it 10 %",
    )
    assert sent_back.status_code == 303
    await status_is(world, approval_id, "returned")
    returned = (await l2.get(f"/approvals/{approval_id}")).text
    assert "Sent back to the requester" in returned and 'id="resubmit-request"' in returned
    assert 'name="f_percent" value="20"' in returned  # the form starts from the request's fields
    too_much = await post(
        l2,
        f"/approvals/{approval_id}/resubmit",
        f"/approvals/{approval_id}",
        f_percent="99",
        f_reason="competitor offer",
    )
    assert too_much.status_code == 422 and field_error(too_much.text, "percent") == "At most 50."
    resubmitted = await post(
        l2,
        f"/approvals/{approval_id}/resubmit",
        f"/approvals/{approval_id}",
        f_percent="10",
        f_reason="competitor offer",
        comment="10 % then",
    )
    assert resubmitted.status_code == 303
    await holders(world, approval_id, {l1_id})
    await post(l1, f"/approvals/{approval_id}/decision", f"/approvals/{approval_id}", decision="approve")
    await status_is(world, approval_id, "approved")  # 10 %: the director's step is skipped
    done = (await l2.get(f"/approvals/{approval_id}")).text
    assert "round 2" in done and "Step skipped" in done and "make it 10 %" in done and "Resubmitted" in done
    assert f'<a href="/customers/{customer.id}" id="customer">Discount Diner</a>' in done
    for c in (l1, l2, director):
        await c.aclose()


async def test_who_may_act_on_a_request_and_who_is_refused(world: World) -> None:
    customer = await world.customer(world["l2"].staff, name="Denial Depot")
    l2 = await signed_in(world, "l2")
    approval_id = await start(
        l2, flow="discount", title="5 %", customer_id=str(customer.id), f_percent="5", f_reason="loyal customer"
    )
    await holders(world, approval_id, {world["l1"].staff.id})
    url = f"/approvals/{approval_id}"
    decision = {"decision": "approve"}

    # The director above sees it (their subtree) but is no approver of this step: no buttons, and a POST is refused.
    director = await signed_in(world, "director")
    page = await director.get(url)
    assert page.status_code == 200
    assert not any(
        f'id="{b}"' in page.text
        for b in ("approve", "reject", "send-back", "recall-request", "resubmit-request", "add-approver", "delegate")
    )
    refused = await director.post(f"{url}/decision", data={"csrf_token": csrf_of(page.text), **decision})
    assert refused.status_code == 403 and "only an approver" in refused.text
    # Another team's manager does not even see it.
    m2 = await signed_in(world, "m2")
    assert (await m2.get(url)).status_code == 404
    m2_csrf = csrf_of((await m2.get("/approvals")).text)
    assert approval_id not in (await m2.get("/approvals?show=team")).text
    assert (await m2.post(f"{url}/decision", data={"csrf_token": m2_csrf, **decision})).status_code == 404
    # Ops reads everything, decides nothing, files nothing.
    ops = await signed_in(world, "ops")
    ops_page = await ops.get(url)
    assert (
        ops_page.status_code == 200 and 'id="approve"' not in ops_page.text and 'id="add-comment"' not in ops_page.text
    )
    assert (
        await ops.post(f"{url}/decision", data={"csrf_token": csrf_of(ops_page.text), **decision})
    ).status_code == 403
    assert (await ops.get("/approvals/new")).status_code == 403
    # The service desk sees only what it filed.
    service = await signed_in(world, "service")
    assert (await service.get(url)).status_code == 404
    # The requester may not decide their own request; nobody may post without the page's token.
    l2_page = await l2.get(url)
    assert (await l2.post(f"{url}/decision", data={"csrf_token": csrf_of(l2_page.text), **decision})).status_code == 403
    l1 = await signed_in(world, "l1")
    assert (await l1.post(f"{url}/decision", data=decision)).status_code == 403  # no CSRF token
    async with client(world) as anonymous:
        signin = await anonymous.post(f"{url}/decision", data=decision)
        assert signin.status_code == 303 and signin.headers["location"].startswith("/signin")
    assert (await open_tasks(world, approval_id))[0].status == "open"  # nothing was decided by any of them

    # The approver adds the director after themselves, comments, then the requester recalls.
    l1_page = await l1.get(url)
    assert 'id="add-approver"' in l1_page.text and 'id="delegate"' in l1_page.text
    added = await l1.post(
        f"{url}/add-approver",
        data={
            "csrf_token": csrf_of(l1_page.text),
            "staff_id": str(world["director"].staff.id),
            "position": "after",
            "comment": "big customer",
        },
    )
    assert added.status_code == 303
    commented = await post(l1, f"{url}/comments", url, text="checking the history first")
    assert commented.status_code == 303
    # The people already on the request may be picked (a manager's staff list is only their subtree).
    director_id = world["director"].staff.id
    assert f'<option value="{director_id}">赵敏 Director</option>' in (await l1.get(url)).text
    delegated = await post(l1, f"{url}/delegate", url, to_staff_id=str(world["m2"].staff.id), comment="on leave")
    assert delegated.status_code == 303

    async def delegated_to_m2():
        return [t for t in await open_tasks(world, approval_id) if t.delegate_id == world["m2"].staff.id]

    await wait_for(delegated_to_m2, what="the delegation")
    m2_page = await m2.get(url)  # the delegate now sees the request and may decide it
    assert m2_page.status_code == 200 and 'id="approve"' in m2_page.text and 'id="delegate"' not in m2_page.text
    recalled = await post(l2, f"{url}/recall", url, comment="customer changed their mind")
    assert recalled.status_code == 303
    await status_is(world, approval_id, "recalled")
    after = (await l1.get(url)).text
    assert "Recalled" in after and "checking the history first" in after and "Approver added" in after
    assert "customer changed their mind" in after and ":staff:" not in after.split('id="timeline"')[1]
    assert 'id="approve"' not in after and 'id="add-comment"' not in after
    again = await post(l2, f"{url}/recall", url)
    assert again.status_code == 303 and (await l2.get(url)).status_code == 200  # 409: a warning, not a crash
    for c in (l1, l2, director, m2, ops, service):
        await c.aclose()


async def test_the_loser_of_an_any_step_sees_who_decided(world: World) -> None:
    customer = await world.customer(world["l2"].staff, name="Transfer Textiles")
    l2 = await signed_in(world, "l2", language="zh")
    approval_id = await start(
        l2,
        flow="customer-transfer",
        title="交给 Li Lei",
        customer_id=str(customer.id),
        f_new_owner_id=str(world["l1"].staff.id),
        f_reason="moving to key accounts",
    )
    await holders(world, approval_id, {world["l1"].staff.id, world["director"].staff.id})
    url = f"/approvals/{approval_id}"
    director = await signed_in(world, "director")
    director_page = await director.get(url)  # open before the other approver decides
    assert 'id="approve"' in director_page.text
    l1 = await signed_in(world, "l1")
    assert (await post(l1, f"{url}/decision", url, decision="approve")).status_code == 303
    late = await director.post(
        f"{url}/decision", data={"csrf_token": csrf_of(director_page.text), "decision": "reject"}
    )
    assert late.status_code == 303
    shown = await director.get(url)
    assert "Already decided by Li Lei L1." in shown.text and 'id="approve"' not in shown.text
    await status_is(world, approval_id, "approved")
    zh = (await l2.get(url)).text
    assert "已批准" in zh and "或签" in zh
    for c in (l1, l2, director):
        await c.aclose()
