"""Reviews: my self-assessment, my team's reviews to approve or return, the cycle summary per team."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import or_, select

from api.deps import get_temporal
from api.errors import ApiError
from api.routers import reviews as review_routes
from api.schemas.review import ReviewDecisionBody
from definitions.review import PLAN_MAX_ITEMS
from db.models import Staff, Task
from web.core import DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/reviews")
async def reviews(request: Request, session: DB, viewer: CurrentViewer):
    """Everything review-shaped the person may see, with links to the tasks that wait for them."""
    actor = viewer.actor
    all_reviews = (
        await call(
            review_routes.list_reviews,
            actor,
            session=session,
            period=None,
            manager_id=None,
            review_status=None,
            limit=500,
            offset=0,
        )
    ).items
    cycles = (await call(review_routes.list_review_cycles, actor, session=session, period=None)).items
    tasks: dict[str, Task] = {}
    if actor.staff_id is not None:
        rows = await session.scalars(
            select(Task).where(
                Task.process_type == "review",
                Task.status == "open",
                or_(Task.assignee_id == actor.staff_id, Task.delegate_id == actor.staff_id),
            )
        )
        tasks = {task.workflow_id: task for task in rows}
    mine = [r for r in all_reviews if r.manager_id == actor.staff_id]
    team = [r for r in all_reviews if r.manager_id != actor.staff_id]
    ids = {r.manager_id for r in all_reviews} | {r.supervisor_id for r in all_reviews if r.supervisor_id}
    for cycle in cycles:
        for t in ((cycle.summary or {}).get("teams") or {}).values():
            if t.get("supervisor_id"):
                ids.add(t["supervisor_id"])
    names = dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids or {0})))).all())
    return render(
        request,
        "reviews.html",
        mine=mine,
        team=team,
        cycles=cycles,
        tasks=tasks,
        names=names,
        plan_slots=range(1, PLAN_MAX_ITEMS + 1),
    )


@router.post("/reviews/{review_id}/decision")
async def decide(request: Request, review_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """The supervisor approves with a rating and a comment, or returns the review for rework (the API's rules)."""
    i18n = viewer.i18n
    decision = form.get("decision")
    comment = (form.get("comment") or "").strip()[:4000] or None
    plan = [
        {
            "metric": form.get(f"plan_metric_{n}"),
            "baseline": form.get(f"plan_baseline_{n}") or None,
            "target": form.get(f"plan_target_{n}") or None,
            "due_on": form.get(f"plan_due_{n}") or None,
        }
        for n in range(1, PLAN_MAX_ITEMS + 1)
        if form.get(f"plan_metric_{n}")
    ]
    try:
        body = ReviewDecisionBody(
            decision=decision,
            comment=comment,
            plan=(plan or None) if decision == "approve" else None,
            rating=int_or_none(form.get("rating")) if decision == "approve" else None,
        )
    except ValidationError as exc:
        if any((error["loc"] and error["loc"][0] == "plan") or "plan item" in error["msg"] for error in exc.errors()):
            text = i18n.gettext(
                "Each plan item needs a metric, a baseline, a target the metric can have and a due date."
            )
        elif decision == "approve":
            text = i18n.gettext("Approving needs a rating from 1 to 5 and a comment.")
        else:
            text = i18n.gettext("Choose approve or return for rework.")
        return redirect(request, "/reviews", message=text, level="error")
    try:
        await call(
            review_routes.decide_review,
            viewer.actor,
            review_id=review_id,
            body=body,
            session=session,
            temporal=await get_temporal(request),
        )
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return redirect(request, "/reviews", message=exc.message, level="warn")
    message = i18n.gettext("Review approved.") if decision == "approve" else i18n.gettext("Review returned for rework.")
    return redirect(request, "/reviews", message=message)
