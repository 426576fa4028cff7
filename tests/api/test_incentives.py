"""Incentive awards over HTTP: line by line by role, an appeal through the approval flow, computing by hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.models import AuditEvent, IncentiveAward, Task, utcnow
from db.repositories.incentives import compute_awards
from tests.factories import Factory
from tests.incentives.dataset import END, PERIOD, RULES, START, Quarter, build_quarter


@pytest.fixture
async def quarter(factory: Factory, sessions) -> Quarter:
    q = await build_quarter(factory)
    async with sessions() as session, session.begin():
        await compute_awards(session, RULES, period=PERIOD, start=START, end=END, timezone="UTC", computed_by="test")
    return q


async def award_of(api, q: Quarter, who: str, manager_id: int) -> dict:
    listed = await api.get(
        "/v1/incentive-awards", params={"period": PERIOD, "manager_id": manager_id}, headers=q.headers(who)
    )
    assert listed.status_code == 200, listed.text
    [award] = listed.json()["items"]
    return award


async def until(check, what: str, seconds: float = 30):
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await check()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"never {what}"
        await asyncio.sleep(0.1)


async def test_each_sees_their_award_line_by_line_within_their_subtree(api, quarter: Quarter) -> None:
    q = quarter
    mine = (await api.get("/v1/incentive-awards", headers=q.headers("a1"))).json()["items"]
    assert [a["manager_id"] for a in mine] == [q.a1.id]
    award = mine[0]
    assert (award["total_points"], award["amount"], award["currency"], award["rule_version"]) == (
        110.0,
        "5500.00",
        "CNY",
        "3:hand-made-rules",
    )
    detail = (await api.get(f"/v1/incentive-awards/{award['id']}", headers=q.headers("a1"))).json()
    assert [(line["kind"], line["metric"], line["points"]) for line in detail["lines"]] == [
        ("metric", "new_customers", 52.0),
        ("metric", "revenue", 40.0),
        ("metric", "avg_satisfaction", 20.0),
        ("gate", "sla_compliance", 0.0),
        ("cap", None, -2.0),
    ]
    assert detail["lines"][0]["target"] == 2 and detail["lines"][0]["band_from"] == 1.2
    team = (await api.get("/v1/incentive-awards", headers=q.headers("director_a"))).json()["items"]
    assert {a["manager_id"] for a in team} == {q.a1.id, q.a2.id}
    assert {
        a["manager_id"]
        for a in (await api.get("/v1/incentive-awards", headers=q.headers("director_b"))).json()["items"]
    } == {q.b1.id}
    everyone = (await api.get("/v1/incentive-awards", headers=q.headers("ops"))).json()
    assert (len(everyone["items"]), everyone["total"]) == (3, 3)
    paged = (await api.get("/v1/incentive-awards", params={"limit": 1, "offset": 1}, headers=q.headers("ops"))).json()
    assert (len(paged["items"]), paged["total"], paged["offset"]) == (1, 3, 1)
    for who in ("director_b", "a2", "b1"):
        assert (await api.get(f"/v1/incentive-awards/{award['id']}", headers=q.headers(who))).status_code == 404
    assert (await api.get("/v1/incentive-awards", headers=q.headers("service"))).status_code == 403
    assert (await api.get("/v1/incentive-awards")).status_code == 401
    assert (await api.get("/v1/incentive-awards/999999", headers=q.headers("admin"))).status_code == 404


async def test_an_appeal_goes_to_the_director_and_its_outcome_is_recorded(api, quarter: Quarter, sessions) -> None:
    q = quarter
    award = await award_of(api, q, "a2", q.a2.id)
    url = f"/v1/incentive-awards/{award['id']}/appeal"
    body = {"reason": "two complaints were the customer's fault", "requested_points": 24}
    assert (await api.post(url, json=body, headers=q.headers("director_a"))).status_code == 403  # not theirs
    assert (await api.post(url, json=body, headers=q.headers("ops"))).status_code == 403
    assert (await api.post(url, json=body, headers=q.headers("service"))).status_code == 403
    assert (await api.post(url, json=body, headers=q.headers("a1"))).status_code == 404  # a sibling's award
    assert (await api.post(url, json=body)).status_code == 401
    assert (await api.post(url, json={"reason": "no"}, headers=q.headers("a2"))).status_code == 422

    appealed = await api.post(url, json=body, headers=q.headers("a2"))
    assert appealed.status_code == 201, appealed.text
    appeal_id = appealed.json()["appeal_id"]
    assert appeal_id and appealed.json()["appeal_status"] == "pending"
    again = await api.post(url, json=body, headers=q.headers("a2"))
    assert again.status_code == 409

    async def director_task():
        async with sessions() as session:
            return await session.scalar(
                select(Task).where(Task.workflow_id == f"approval-{appeal_id}", Task.status == "open")
            )

    task = await until(director_task, "a task for the director")
    assert task.assignee_id == q.director_a.id
    assert timedelta(days=4, hours=23) < task.due_at - utcnow() <= timedelta(days=5)  # the flow's due date
    request = (await api.get(f"/v1/approvals/{appeal_id}", headers=q.headers("director_a"))).json()
    assert request["flow"] == "incentive-appeal" and request["fields"]["award_id"] == award["id"]
    assert request["subject_id"] == f"award:{award['id']}"
    decision = f"/v1/approvals/{appeal_id}/decision"
    assert (await api.post(decision, json={"decision": "approve"}, headers=q.headers("director_b"))).status_code == 404
    assert (await api.post(decision, json={"decision": "approve"}, headers=q.headers("a2"))).status_code == 403
    decided = await api.post(
        decision, json={"decision": "reject", "comment": "the SLA was missed by us"}, headers=q.headers("director_a")
    )
    assert decided.status_code == 200, decided.text

    async def outcome():
        found = (await api.get(f"/v1/incentive-awards/{award['id']}", headers=q.headers("a2"))).json()
        return found if found["appeal_status"] == "rejected" else None

    final = await until(outcome, "the appeal decided")
    assert final["total_points"] == 0.0  # a rejected appeal leaves the award as it was
    async with sessions() as session:
        actions = set(
            (
                await session.scalars(
                    select(AuditEvent.action).where(AuditEvent.entity_id.in_([str(award["id"]), appeal_id]))
                )
            ).all()
        )
    assert {"incentive_award.appealed", "approval.submitted", "approval.rejected"} <= actions


async def test_the_appeal_window_closes(api, quarter: Quarter, sessions) -> None:
    q = quarter
    async with sessions() as session, session.begin():
        await session.execute(
            update(IncentiveAward)
            .where(IncentiveAward.manager_id == q.a1.id)
            .values(computed_at=utcnow() - timedelta(days=31))
        )
    award = await award_of(api, q, "a1", q.a1.id)
    late = await api.post(
        f"/v1/incentive-awards/{award['id']}/appeal", json={"reason": "too late now"}, headers=q.headers("a1")
    )
    assert late.status_code == 409 and "window" in late.json()["error"]["message"]


async def test_computing_a_period_by_hand(api, factory: Factory, sessions) -> None:
    q = await build_quarter(factory)
    url = "/v1/incentive-awards/compute"
    for who in ("a1", "service"):
        assert (await api.post(url, json={"period": PERIOD}, headers=q.headers(who))).status_code == 403
    assert (await api.post(url, json={"period": "2999Q1"}, headers=q.headers("ops"))).status_code == 422
    assert (await api.post(url, json={"period": "2025Q9"}, headers=q.headers("ops"))).status_code == 422
    scoped = await api.post(url, json={"period": PERIOD}, headers=q.headers("director_b"))
    assert scoped.status_code == 202, scoped.text
    assert scoped.json()["workflow_id"] == f"incentive-awards-{PERIOD}-s{q.director_b.id}"

    async def awards():
        async with sessions() as session:
            return list(await session.scalars(select(IncentiveAward)))

    found = await until(awards, "awards computed")
    assert [a.manager_id for a in found] == [q.b1.id]  # director B's subtree only
    assert found[0].computed_by.startswith("director:") and found[0].rule_version.startswith("1:")
