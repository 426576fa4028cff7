"""Custom approval requests over HTTP (DESIGN §3.10, §4) on the packaged flows, with a real worker behind the API."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from db.models import Customer, StaffRole
from tests.factories import Factory, Org


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


async def until(api, org: Org, who: str, approval_id: str, check, what: str, seconds: float = 30) -> dict:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        body = (await api.get(f"/v1/approvals/{approval_id}", headers=org.headers(who))).json()
        if check(body):
            return body
        assert asyncio.get_running_loop().time() < deadline, f"never {what}: {body}"
        await asyncio.sleep(0.1)


async def post_once_open(api, url: str, headers: dict[str, str], body: dict, seconds: float = 30):
    """POST an action on a task; its row is visible a moment before its process takes actions on it (409 till then)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        response = await api.post(url, headers=headers, json=body)
        if response.status_code != 409 or "still being opened" not in response.text:
            return response
        assert asyncio.get_running_loop().time() < deadline, response.text
        await asyncio.sleep(0.1)


def open_holders(body: dict) -> list[int]:
    return [t["assignee_id"] for t in body["tasks"] if t["status"] == "open"]


async def test_discount_runs_its_steps_and_only_the_approver_decides(api, org: Org, factory: Factory) -> None:
    customer = await factory.customer(owner=org.l2)
    outsider = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1)
    outsider_token = await factory.token("manager", outsider)
    started = await api.post(
        "/v1/approvals",
        headers=org.headers("l2"),
        json={
            "flow": "discount",
            "customer_id": customer.id,
            "title": "20 % for the renewal",
            "fields": {"percent": 20, "reason": "competitor offer"},
        },
    )
    assert started.status_code == 201, started.text
    approval = started.json()
    assert started.headers["Location"] == f"/v1/approvals/{approval['id']}"
    assert (approval["flow"], approval["flow_version"], approval["status"]) == ("discount", 1, "pending")
    assert len(approval["flow_hash"]) == 16
    body = await until(api, org, "l2", approval["id"], lambda b: open_holders(b) == [org.l1.id], "at l1")

    waiting = (await api.get("/v1/approvals", params={"scope": "awaiting_me"}, headers=org.headers("l1"))).json()
    assert [i["id"] for i in waiting["items"]] == [approval["id"]] and waiting["total"] == 1
    mine = (await api.get("/v1/approvals", params={"scope": "mine"}, headers=org.headers("l2"))).json()
    assert [i["id"] for i in mine["items"]] == [approval["id"]]
    team = (await api.get("/v1/approvals", params={"scope": "team"}, headers=org.headers("director"))).json()
    assert [i["id"] for i in team["items"]] == [approval["id"]]
    assert (await api.get("/v1/approvals", params={"scope": "awaiting_me"}, headers=org.headers("director"))).json()[
        "total"
    ] == 0

    decision = f"/v1/approvals/{approval['id']}/decision"
    outsider_headers = {"Authorization": f"Bearer {outsider_token}"}
    assert (await api.get(f"/v1/approvals/{approval['id']}", headers=outsider_headers)).status_code == 404
    assert (await api.post(decision, headers=outsider_headers, json={"decision": "approve"})).status_code == 404
    assert (await api.post(decision, headers=org.headers("director"), json={"decision": "approve"})).status_code == 403
    assert (await api.post(decision, headers=org.headers("l2"), json={"decision": "approve"})).status_code == 403
    assert (await api.post(decision, headers=org.headers("ops"), json={"decision": "approve"})).status_code == 403
    bad_target = await api.post(decision, headers=org.headers("l1"), json={"decision": "send_back", "to_step": "x"})
    assert bad_target.status_code == 422 and bad_target.json()["error"]["details"][0]["field"] == "to_step"

    approved = await api.post(decision, headers=org.headers("l1"), json={"decision": "approve", "comment": "ok"})
    assert approved.status_code == 200, approved.text
    body = await until(api, org, "l2", approval["id"], lambda b: open_holders(b) == [org.director.id], "at director")
    assert body["steps"][0]["status"] == "approved" and body["current_step"] == "director"
    assert (await api.post(decision, headers=org.headers("director"), json={"decision": "approve"})).status_code == 200
    body = await until(api, org, "l2", approval["id"], lambda b: b["status"] == "approved", "approved")
    assert [t["decision"] for t in body["tasks"]] == ["approve", "approve"]
    assert body["decided_at"] is not None
    again = await api.post(decision, headers=org.headers("director"), json={"decision": "approve"})
    assert again.status_code == 409

    timeline = (await api.get(f"/v1/customers/{customer.id}/timeline", headers=org.headers("admin"))).json()
    kinds = [(i["kind"], i["action"]) for i in timeline["items"]]
    assert ("approval", "approval.submitted") in kinds and ("approval", "approval.approved") in kinds


async def test_bad_requests_are_refused_per_field(api, org: Org, factory: Factory) -> None:
    customer = await factory.customer(owner=org.l2)
    url = "/v1/approvals"
    wrong = await api.post(
        url,
        headers=org.headers("l2"),
        json={"flow": "discount", "customer_id": customer.id, "title": "x", "fields": {"percent": 60, "extra": 1}},
    )
    assert wrong.status_code == 422
    fields = {d["field"]: d["message"] for d in wrong.json()["error"]["details"]}
    assert fields == {
        "fields.percent": "must be at most 50",
        "fields.reason": "is required",
        "fields.extra": "unknown field",
    }
    unknown = await api.post(url, headers=org.headers("l2"), json={"flow": "nope", "title": "x", "fields": {}})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["field"] == "flow"
    no_customer = await api.post(
        url,
        headers=org.headers("l2"),
        json={"flow": "discount", "title": "x", "fields": {"percent": 5, "reason": "because"}},
    )
    assert no_customer.status_code == 422 and no_customer.json()["error"]["details"][0]["field"] == "customer_id"
    other = await factory.customer(owner=await factory.staff())
    hidden = await api.post(
        url,
        headers=org.headers("l2"),
        json={"flow": "discount", "customer_id": other.id, "title": "x", "fields": {"percent": 5, "reason": "because"}},
    )
    assert hidden.status_code == 422
    ops = await api.post(
        url,
        headers=org.headers("ops"),
        json={
            "flow": "discount",
            "customer_id": customer.id,
            "title": "x",
            "fields": {"percent": 5, "reason": "because"},
        },
    )
    assert ops.status_code == 403
    assert (await api.get("/v1/approvals/nope", headers=org.headers("admin"))).status_code == 404


async def test_contract_finance_signs_in_parallel(api, org: Org, factory: Factory) -> None:
    # The packaged contract flow names its finance signers by e-mail.
    finance = [
        await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=org.director.id, email=email)
        for email in ("li.wei@crmflow-demo.cn", "wang.fang@crmflow-demo.cn")
    ]
    tokens = [await factory.token("manager", f) for f in finance]
    customer = await factory.customer(owner=org.l2)
    started = await api.post(
        "/v1/approvals",
        headers=org.headers("l1"),
        json={
            "flow": "contract",
            "customer_id": customer.id,
            "title": "Annual contract",
            "fields": {"amount": 600000, "term_months": 12, "payment": "monthly"},
        },
    )
    assert started.status_code == 201, started.text
    approval_id = started.json()["id"]
    await until(api, org, "admin", approval_id, lambda b: open_holders(b) == [org.director.id], "at director")
    decision = f"/v1/approvals/{approval_id}/decision"
    assert (await api.post(decision, headers=org.headers("director"), json={"decision": "approve"})).status_code == 200
    await until(
        api, org, "admin", approval_id, lambda b: sorted(open_holders(b)) == sorted(f.id for f in finance), "at finance"
    )
    answers = await asyncio.gather(
        *(api.post(decision, headers={"Authorization": f"Bearer {t}"}, json={"decision": "approve"}) for t in tokens)
    )
    assert [a.status_code for a in answers] == [200, 200]
    body = await until(api, org, "admin", approval_id, lambda b: b["status"] == "approved", "approved")
    assert body["steps"][1]["mode"] == "all" and [s["vote"] for s in body["steps"][1]["approvers"]] == ["approve"] * 2


async def test_customer_transfer_reassigns_the_owner(api, org: Org, factory: Factory, sessions) -> None:
    other = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id)
    customer = await factory.customer(owner=org.l2, tier=2)
    started = await api.post(
        "/v1/approvals",
        headers=org.headers("l2"),
        json={
            "flow": "customer-transfer",
            "customer_id": customer.id,
            "title": "Hand over",
            "fields": {"new_owner_id": other.id, "reason": "moving region"},
        },
    )
    assert started.status_code == 201, started.text
    approval_id = started.json()["id"]
    await until(
        api,
        org,
        "l2",
        approval_id,
        lambda b: sorted(open_holders(b)) == sorted([org.l1.id, org.director.id]),
        "at l1 and director",
    )
    decision = f"/v1/approvals/{approval_id}/decision"
    # 或签: the owner's supervisor and the director race; exactly one decision counts, the other is a 409.
    answers = await asyncio.gather(
        api.post(decision, headers=org.headers("l1"), json={"decision": "approve"}),
        api.post(decision, headers=org.headers("director"), json={"decision": "approve"}),
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    body = await until(api, org, "l2", approval_id, lambda b: b["status"] == "approved", "approved")
    assert sorted(t["status"] for t in body["tasks"]) == ["approved", "cancelled"]
    async with sessions() as session:
        row = await session.scalar(select(Customer).where(Customer.id == customer.id))
    assert (row.owner_id, row.previous_owner_id) == (other.id, org.l2.id)


async def test_send_back_resubmit_add_approver_delegate_and_recall_over_http(api, org: Org, factory: Factory) -> None:
    customer = await factory.customer(owner=org.l2)
    helper = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=org.director.id)
    helper_headers = {"Authorization": f"Bearer {await factory.token('manager', helper)}"}
    started = await api.post(
        "/v1/approvals",
        headers=org.headers("l2"),
        json={
            "flow": "discount",
            "customer_id": customer.id,
            "title": "5 %",
            "fields": {"percent": 5, "reason": "loyal"},
        },
    )
    approval_id = started.json()["id"]
    base = f"/v1/approvals/{approval_id}"
    await until(api, org, "l2", approval_id, lambda b: open_holders(b) == [org.l1.id], "at l1")
    sent = await post_once_open(
        api, f"{base}/decision", org.headers("l1"), {"decision": "send_back", "comment": "add the contract"}
    )
    assert sent.status_code == 200
    await until(api, org, "l2", approval_id, lambda b: b["status"] == "returned", "returned")
    assert (await api.post(f"{base}/resubmit", headers=org.headers("l1"), json={})).status_code == 403
    bad = await api.post(f"{base}/resubmit", headers=org.headers("l2"), json={"fields": {"percent": 99}})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"fields.percent", "fields.reason"}
    ok = await api.post(
        f"{base}/resubmit",
        headers=org.headers("l2"),
        json={"fields": {"percent": 6, "reason": "loyal, contract attached"}},
    )
    assert ok.status_code == 200, ok.text
    await until(api, org, "l2", approval_id, lambda b: open_holders(b) == [org.l1.id] and b["round"] == 2, "round 2")
    added = await post_once_open(
        api, f"{base}/add-approver", org.headers("l1"), {"staff_id": helper.id, "position": "before"}
    )
    assert added.status_code == 200, added.text
    await until(api, org, "l2", approval_id, lambda b: open_holders(b) == [helper.id], "at helper")
    delegated = await post_once_open(api, f"{base}/delegate", helper_headers, {"to_staff_id": org.director.id})
    assert delegated.status_code == 200, delegated.text
    assert (await api.post(f"{base}/recall", headers=org.headers("l1"), json={})).status_code == 403
    recalled = await api.post(f"{base}/recall", headers=org.headers("l2"), json={"comment": "customer left"})
    assert recalled.status_code == 200, recalled.text
    body = await until(api, org, "l2", approval_id, lambda b: b["status"] == "recalled", "recalled")
    assert body["outcome_reason"] == "customer left" and open_holders(body) == []
    assert (
        await api.post(f"{base}/decision", headers=org.headers("director"), json={"decision": "approve"})
    ).status_code == 409


async def test_flows_list_their_forms_and_steps(api, org: Org) -> None:
    answer = await api.get("/v1/approvals/flows", headers=org.headers("l2"))
    assert answer.status_code == 200, answer.text
    flows = {f["flow"]: f for f in answer.json()["items"]}
    assert set(flows) == {"contract", "customer-transfer", "discount", "incentive-appeal", "target-change"}
    contract = flows["contract"]
    assert contract["form"]["payment"]["choices"] == ["prepaid", "monthly", "on_delivery"]
    assert contract["steps"][1]["mode"] == "all" and contract["steps"][1]["when"] == {"amount": {"gt": 500000.0}}
    assert (await api.get("/v1/approvals/flows")).status_code == 401


async def test_a_processs_own_flow_is_not_a_custom_request(api, org: Org, factory: Factory) -> None:
    """compensation, onboarding-tier1 and tier-change are started by their processes, never by POST."""
    customer = await factory.customer(owner=org.l2)
    for flow in ("compensation", "onboarding-tier1", "tier-change"):
        refused = await api.post(
            "/v1/approvals",
            headers=org.headers("l2"),
            json={"flow": flow, "customer_id": customer.id, "title": "by hand", "fields": {}},
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"] == [{"field": "flow", "message": "unknown flow"}]
