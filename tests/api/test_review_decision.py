"""The supervisor's review decision as a real approval (review-approval flow): rating 1–5 and a comment, roles."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from db.models import ApprovalRequest, AuditEvent, Review, Task
from tests.factories import Factory

ANSWER = {"summary": "good quarter", "next_quarter_goals": "more", "self_rating": 4}


def unique_period() -> str:
    return f"{1970 + uuid.uuid4().int % 50}Q{1 + uuid.uuid4().int % 4}"  # real quarters in the past only


async def open_task(sessions, workflow_id: str, key: str, timeout: float = 60) -> Task:
    """The open task `key` of a workflow, once its row exists (activities run in real time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with sessions() as session:
            task = await session.scalar(
                select(Task).where(Task.workflow_id == workflow_id, Task.task_key == key, Task.status == "open")
            )
        if task is not None:
            return task
        assert asyncio.get_running_loop().time() < deadline, f"task {key} never opened"
        await asyncio.sleep(0.1)


async def post_when_open(api, url: str, body: dict, headers: dict):
    """POST a decision; while the workflow is still opening the task it answers 409 "still being opened"."""
    while True:
        response = await api.post(url, json=body, headers=headers)
        if not (response.status_code == 409 and "being opened" in response.text):
            return response
        await asyncio.sleep(0.1)


async def review_row(sessions, workflow_id: str) -> Review:
    async with sessions() as session:
        return await session.scalar(select(Review).where(Review.workflow_id == workflow_id))


async def test_supervisor_approves_with_rating_and_comment_after_a_rejection(
    api, factory: Factory, local_env, sessions
) -> None:
    org = await factory.org()
    other_director = await factory.staff("director")
    stranger = await factory.staff("account_manager_l1", supervisor_id=other_director.id)
    stranger_token = await factory.token("manager", stranger)
    period = unique_period()
    started = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers("ops"))
    assert started.status_code == 202, started.text
    workflow_id = f"review-{period}-{org.l2.id}"
    try:
        assessment = await open_task(sessions, workflow_id, "self-assessment-1")
        done = await post_when_open(api, f"/v1/tasks/{assessment.id}/complete", {"data": ANSWER}, org.headers("l2"))
        assert done.status_code == 200, done.text
        approval_task = await open_task(sessions, workflow_id, "approval-1")
        assert approval_task.kind == "approval" and approval_task.assignee_id == org.l1.id
        assert approval_task.handler_workflow_id and approval_task.context["approval_id"]
        review = await review_row(sessions, workflow_id)
        url = f"/v1/reviews/{review.id}/decision"
        good = {"decision": "approve", "rating": 4, "comment": "Solid."}

        # Refused, and nothing written: no rating, a rating outside 1–5, no comment, a rating on a rejection.
        for body in (
            {"decision": "approve", "comment": "x"},
            {**good, "rating": 0},
            {**good, "rating": 6},
            {**good, "rating": "four"},
            {"decision": "approve", "rating": 3},
            {"decision": "reject", "rating": 2, "comment": "x"},
            {**good, "extra": 1},
        ):
            response = await api.post(url, json=body, headers=org.headers("l1"))
            assert response.status_code == 422, (body, response.text)
        # A plain task decision cannot approve without the rating either (the engine refuses it).
        plain = await post_when_open(
            api, f"/v1/tasks/{approval_task.id}/decision", {"decision": "approve"}, org.headers("l1")
        )
        assert plain.status_code == 422 and "rating" in plain.text, plain.text
        # Only the supervisor (their delegate, or an admin) decides.
        for who, expected in (("l2", 403), ("director", 403), ("ops", 403), ("service", 403)):
            response = await api.post(url, json=good, headers=org.headers(who))
            assert response.status_code == expected, (who, response.text)
        assert (
            await api.post(url, json=good, headers={"Authorization": f"Bearer {stranger_token}"})
        ).status_code == 404
        assert (await api.post(url, json=good)).status_code == 401
        assert (
            await api.post("/v1/reviews/999999999/decision", json=good, headers=org.headers("l1"))
        ).status_code == 404
        review = await review_row(sessions, workflow_id)
        assert review.rating is None and review.status == "open" and review.stage == "supervisor_approval"
        async with sessions() as session:
            still = await session.get(Task, approval_task.id)
        assert still.status == "open"

        # Rejection sends the review back to the manager, with the supervisor's comment as feedback.
        rejected = await api.post(
            url, json={"decision": "reject", "comment": "Add the revenue figures."}, headers=org.headers("l1")
        )
        assert rejected.status_code == 200, rejected.text
        rework = await open_task(sessions, workflow_id, "self-assessment-2")
        assert rework.assignee_id == org.l2.id and rework.context["feedback"] == "Add the revenue figures."
        assert (await api.post(url, json=good, headers=org.headers("l1"))).status_code == 409  # nothing to decide now
        done = await post_when_open(
            api, f"/v1/tasks/{rework.id}/complete", {"data": {**ANSWER, "achievements": "2000"}}, org.headers("l2")
        )
        assert done.status_code == 200, done.text
        await open_task(sessions, workflow_id, "approval-2")
        item = {"metric": "followup_coverage", "baseline": 0.6, "target": 0.9, "due_on": "2999-03-31"}
        approve = {"decision": "approve", "rating": 5, "comment": "Much better."}
        # A plan is checked before anything is sent: catalogue metric, a target the metric can have, 1–3 items,
        # a due date after today, and only on an approval.
        for plan in (
            [{**item, "metric": "bogus"}],
            [{**item, "target": 1.5}],
            [item] * 4,
            [{**item, "due_on": "2001-01-01"}],
            [{**item, "due_on": "soon"}],
        ):
            response = await api.post(url, json={**approve, "plan": plan}, headers=org.headers("l1"))
            assert response.status_code == 422, (plan, response.text)
        assert (
            await api.post(url, json={"decision": "reject", "comment": "x", "plan": [item]}, headers=org.headers("l1"))
        ).status_code == 422
        plan = [item, {"metric": "revenue", "baseline": 1000, "target": 5000, "due_on": "2999-06-30"}]
        approved = await post_when_open(api, url, {**approve, "plan": plan}, org.headers("l1"))
        assert approved.status_code == 200, approved.text
        result = await local_env.client.get_workflow_handle(workflow_id).result()
        assert result["status"] == "approved" and result["rating"] == 5 and result["rework_rounds"] == 1

        review = await review_row(sessions, workflow_id)
        assert (review.status, review.rating, review.comment, review.decided_by) == (
            "approved",
            5,
            "Much better.",
            org.l1.id,
        )
        # The plan went to its own workflow, which wrote the items (open until their due dates).
        plan_handle = local_env.client.get_workflow_handle(f"{workflow_id}-plan")

        async def listed_plan():
            rows = (
                await api.get(
                    "/v1/reviews", params={"period": period, "manager_id": org.l2.id}, headers=org.headers("l2")
                )
            ).json()["items"]
            return rows if rows and len(rows[0]["plan"]) == 2 else None

        deadline = asyncio.get_running_loop().time() + 60
        while not (listed := await listed_plan()):
            assert asyncio.get_running_loop().time() < deadline, "the plan items were never written"
            await asyncio.sleep(0.1)
        assert listed[0]["rating"] == 5 and listed[0]["comment"] == "Much better."
        assert [(i["metric"], i["target"], i["due_on"], i["status"]) for i in listed[0]["plan"]] == [
            ("followup_coverage", 0.9, "2999-03-31", "open"),
            ("revenue", 5000.0, "2999-06-30", "open"),
        ]
        assert (await plan_handle.describe()).status.name == "RUNNING"
        await plan_handle.terminate("test finished")
        async with sessions() as session:
            requests = (
                await session.scalars(
                    select(ApprovalRequest)
                    .where(ApprovalRequest.subject_id == str(review.id))
                    .order_by(ApprovalRequest.created_at)
                )
            ).all()
            audit = (
                await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == workflow_id))
            ).all()
        assert [r.flow for r in requests] == ["review-approval", "review-approval"]
        assert sorted(r.status for r in requests) == ["approved", "rejected"]
        assert "review.done" in audit
    finally:
        for staff_id in (org.l1.id, org.l2.id, stranger.id):
            try:
                await local_env.client.get_workflow_handle(f"review-{period}-{staff_id}").terminate("test finished")
            except Exception:  # noqa: BLE001 - already finished
                pass
        await local_env.client.get_workflow_handle(f"review-cycle-{period}").terminate("test finished")
